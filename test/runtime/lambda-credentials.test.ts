/** The credential provider bundled into the Lambdas in place of the SDK's full chain. */
import { defaultProvider } from '../../lambdas/runtime/lambda-credentials';

describe('lambda-credentials defaultProvider', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("returns the function role's credentials from the Lambda environment", async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-key';
    process.env.AWS_SESSION_TOKEN = 'test-session-token';
    await expect(defaultProvider({})()).resolves.toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'test-secret-key',
      sessionToken: 'test-session-token',
    });
  });

  it('fails (no fallback to another source) when the environment has no credentials', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    await expect(defaultProvider()()).rejects.toThrow();
  });
});
