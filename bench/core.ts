/**
 * Warm verifications per second, per token kind: our verifier (over in-memory directories,
 * and over the real CachedClientDirectory / SigningKeyStore with their caches warm), the
 * whole authorizer handler (event in, policy out), and the peers, all in one process and
 * one run, as ratios of the raw node:crypto floor.
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createAuthorizer } from '../lambdas/authorizer/handler';
import { createTokenVerifier } from '../lambdas/core/verify-token';
import { createMetrics } from '../lambdas/runtime/metrics';
import { ISSUER, memoryVerifierDeps, memoryWorld, ROWS, storeWorld, type Row, type RowCase, type World } from './fixtures';
import { storeLabel } from './dynamo';
import { compare, type Op, type Timing } from './measure';
import { awsJwtVerifier, fastJwtVerifier, joseVerifier, rawVerifier } from './peers';

export const CORE_COLUMNS = ['raw', 'ours', 'ours (store)', 'handler (store)', 'aws-jwt-verify', 'jose', 'fast-jwt'] as const;
export type CoreColumn = (typeof CORE_COLUMNS)[number];

export interface CoreRow {
  row: Row;
  opsPerSecond: Partial<Record<CoreColumn, number>>;
  /** Share of `raw`, in percent: the median of the per-round ratios. */
  percentOfRaw: Partial<Record<CoreColumn, number>>;
}

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/sandbox/GET/v1/auth/verify';

export function authorizerEvent(token: string): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    resource: '/v1/auth/verify',
    path: '/v1/auth/verify',
    httpMethod: 'GET',
    headers: { Authorization: `Bearer ${token}`, Host: 'abcdef1234.execute-api.eu-west-1.amazonaws.com' },
    multiValueHeaders: {},
    pathParameters: {},
    queryStringParameters: {},
    multiValueQueryStringParameters: {},
    stageVariables: {},
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

/** Fails loudly if a case does not verify: a benchmark of an error path measures nothing. */
async function checked(name: string, op: Op): Promise<Op> {
  const out = (await op()) as { policyDocument?: { Statement: { Effect: string }[] }; usageIdentifierKey?: string } | undefined;
  if (out?.policyDocument && out.policyDocument.Statement[0]?.Effect !== 'Allow') throw new Error(`${name}: not allowed`);
  if (out?.policyDocument && !out.usageIdentifierKey) throw new Error(`${name}: Allow without usageIdentifierKey`);
  return op;
}

export async function runCore(timing: Timing, progress: (line: string) => void): Promise<{ rows: CoreRow[]; store: string }> {
  const mem: World = await memoryWorld();
  const memDeps = memoryVerifierDeps(mem);
  const ours = createTokenVerifier({ issuer: ISSUER, ...memDeps });
  const sw = await storeWorld();
  try {
    // As deployed: the store-backed verifier and client directory (usageKey on Allow), and the
    // metrics helper, which records nothing outside Lambda (LOCAL_MODE) so no EMF line is printed.
    const authorizer = createAuthorizer({
      verifyToken: sw.deps.verifyToken,
      clientDirectory: sw.deps.clientDirectory,
      metrics: createMetrics(sw.env),
    });
    const rows: CoreRow[] = [];
    for (const row of ROWS) {
      progress(`core: ${row}`);
      const m: RowCase = mem.cases[row];
      const s: RowCase = sw.cases[row];
      const event = authorizerEvent(s.token);
      const cases: Record<string, Op> = {
        raw: rawVerifier(m).bind(null, m.token),
        ours: await checked('ours', () => ours(m.token)),
        'ours (store)': await checked('ours (store)', () => sw.deps.verifyToken(s.token)),
        'handler (store)': await checked('handler', () => authorizer(event)),
      };
      const aws = awsJwtVerifier(m);
      if (aws) cases['aws-jwt-verify'] = aws.bind(null, m.token);
      cases.jose = joseVerifier(m).bind(null, m.token);
      cases['fast-jwt'] = fastJwtVerifier(m).bind(null, m.token);
      const { opsPerSecond, percentOfBaseline } = await compare(cases, 'raw', timing);
      rows.push({ row, opsPerSecond, percentOfRaw: percentOfBaseline });
    }
    return { rows, store: `${storeLabel()} (caches warm)` };
  } finally {
    await sw.close();
  }
}
