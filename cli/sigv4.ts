/**
 * SigV4 for the operator API in AWS: its methods use IAM authorization, so a request must be
 * signed for service `execute-api` in the API's region with the caller's AWS credentials
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { usageError } from './exit-codes';

export interface SignInput {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type RequestSigner = (input: SignInput) => Promise<Record<string, string>>;

/**
 * Credentials come from the standard chain (env, SSO, profile, container, instance metadata),
 * resolved once per CLI run. A missing or expired login is a local problem: exit 2 with a hint.
 */
export function createSigV4Signer(region: string, provider: AwsCredentialIdentityProvider = fromNodeProviderChain()): RequestSigner {
  let credentials: Promise<AwsCredentialIdentity> | undefined;
  const load = (): Promise<AwsCredentialIdentity> =>
    (credentials ??= provider().catch((err: unknown) => {
      throw usageError(
        `No usable AWS credentials: ${err instanceof Error ? err.message : String(err)}`,
        'log in (aws sso login / AWS_PROFILE=...) as a platform-team principal allowed execute-api:Invoke on .../admin/*',
      );
    }));
  const signer = new SignatureV4({ service: 'execute-api', region, credentials: load, sha256: Sha256 });

  return async ({ method, url, headers, body }) => {
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => {
      query[k] = v;
    });
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      // Already percent-encoded once; the signer encodes each segment again, as SigV4 requires for non-S3 services.
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      ...(body === undefined ? {} : { body }),
    });
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed.headers)) if (k.toLowerCase() !== 'host') out[k] = String(v);
    return out;
  };
}
