/** Stops the DynamoDB that global-setup.ts started (an external endpoint is left alone). */

export default async function globalTeardown(): Promise<void> {
  const handle = globalThis.__WK_TEST_DYNAMO__;
  globalThis.__WK_TEST_DYNAMO__ = undefined;
  if (!handle) return;
  if (handle.server) {
    const server = handle.server;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const child = handle.child;
  if (child && child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
