/** The issuer identifier every function reads from ISSUER: the stage base URL, fixed per deployment. */
import { deploymentIssuer, parseIssuer, readRuntimeEnv } from '../../lambdas/runtime/env';

const base = { TENANT: 'acme', STAGE: 'prod', TABLE_NAME: 't', KEYRING: 'kms', KMS_KEY_ID: 'k' };

describe('ISSUER', () => {
  test('is the stage base URL without a trailing slash', () => {
    expect(deploymentIssuer(readRuntimeEnv({ ...base, ISSUER: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/' }))).toBe(
      'https://abc123.execute-api.eu-west-1.amazonaws.com/prod',
    );
    expect(parseIssuer('https://api.acme.example')).toBe('https://api.acme.example');
  });

  test('is required: a function without it refuses to start rather than sign tokens with a guessed issuer', () => {
    expect(() => readRuntimeEnv(base)).toThrow(/ISSUER/);
  });

  test('refuses what RFC 8414 §2 rules out for an issuer: no URL, another scheme, a query, a fragment, credentials', () => {
    for (const bad of ['acme', 'ftp://x.example', 'https://x.example/?a=1', 'https://x.example/#f', 'https://u:p@x.example']) {
      expect(() => parseIssuer(bad)).toThrow(/ISSUER/);
    }
  });
});
