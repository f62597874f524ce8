import { DIMENSION, METRIC } from '../../lambdas/gateway/metrics-catalog';
import { createMetrics } from '../../lambdas/runtime/metrics';

interface Emf {
  _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

function emitted(record: (m: ReturnType<typeof createMetrics>) => void): Emf[] {
  const lines: string[] = [];
  process.env.WK_EMIT_METRICS = '1';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const m = createMetrics({ TENANT: 'acme', STAGE: 'sandbox' });
    record(m);
    m.flush();
  } finally {
    spy.mockRestore();
    delete process.env.WK_EMIT_METRICS;
  }
  return lines
    .join('')
    .split('\n')
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Emf);
}

test('an API-key refusal is counted on the TokenKind+Outcome set as well as Outcome+Reason', () => {
  const [emf] = emitted((m) => m.authorization({ allowed: false, reason: 'invalid_token', tokenKind: 'api-key', latencyMs: 3 }));
  const dims = emf?._aws.CloudWatchMetrics[0]?.Dimensions.map((d) => [...d].sort()) ?? [];
  expect(dims).toContainEqual([DIMENSION.outcome, DIMENSION.stage, DIMENSION.tenant, DIMENSION.tokenKind, 'service'].sort());
  expect(dims).toContainEqual([DIMENSION.outcome, DIMENSION.reason, DIMENSION.stage, DIMENSION.tenant, 'service'].sort());
  expect(emf).toMatchObject({
    [DIMENSION.tokenKind]: 'api-key',
    [DIMENSION.outcome]: 'deny',
    [DIMENSION.reason]: 'invalid_token',
    [METRIC.authorizations]: 1,
  });
});

test('an Allow carries its outcome on the token-kind set too', () => {
  const [emf] = emitted((m) => m.authorization({ allowed: true, reason: 'ok', tokenKind: 'issued', latencyMs: 2 }));
  expect(emf).toMatchObject({ [DIMENSION.tokenKind]: 'issued', [DIMENSION.outcome]: 'allow' });
});
