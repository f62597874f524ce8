/**
 * Bundled in place of `@aws-sdk/credential-provider-node` in the Lambda bundles
 * (lib/bundled-function.ts, esbuild alias). In Lambda the function role's credentials are
 * always in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so
 * the SDK's full chain (ini, SSO, process, IMDS, web identity) is dead weight: about 100 KB of
 * every bundle and its load time on each cold start (docs/benchmarks.md).
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** The one export the SDK clients use (`defaultProvider(init)` in their runtime config). */
export const defaultProvider = (_init?: unknown): ReturnType<typeof fromEnv> => fromEnv();
