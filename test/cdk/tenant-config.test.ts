import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_TENANTS_FILE, loadTenants, parseTenants, stackNameFor, TenantConfigError } from '../../lib/tenant-config';

const valid = () => ({
  name: 'acme',
  contact: 'ops@acme.example',
  alarmEmails: ['oncall@acme.example'],
  stages: {
    sandbox: { quota: { limit: 100, period: 'DAY', rateLimit: 5, burstLimit: 10 } },
    prod: { quota: { limit: 1000, period: 'MONTH', rateLimit: 50, burstLimit: 100 } },
  },
});

const problemsOf = (raw: unknown): readonly string[] => {
  try {
    parseTenants(raw);
  } catch (err) {
    if (err instanceof TenantConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a TenantConfigError');
};

test('loads the checked-in tenants.json, every tenant in file order', () => {
  const tenants = loadTenants();
  // Read from the file itself, so adding a tenant there keeps this test green.
  const names = (JSON.parse(fs.readFileSync(DEFAULT_TENANTS_FILE, 'utf8')) as { name: string }[]).map((t) => t.name);
  expect(names.length).toBeGreaterThan(0);
  expect(tenants.map((t) => t.name)).toEqual(names);
  for (const t of tenants) expect(Object.keys(t.stages).sort()).toEqual(['prod', 'sandbox']);
});

test('defaults the authorizer cache TTL to 60 seconds', () => {
  expect(parseTenants([valid()])[0]?.authorizerCacheTtlSeconds).toBe(60);
});

test('rejects a TTL over 300 seconds, naming the tenant field', () => {
  expect(problemsOf([{ ...valid(), authorizerCacheTtlSeconds: 301 }])).toEqual([
    expect.stringMatching(/^\[0\]\.authorizerCacheTtlSeconds: .*300/),
  ]);
});

test.each(['Acme', 'ac me', '1acme', 'a', 'acme_corp'])('rejects the tenant name %p', (name) => {
  expect(problemsOf([{ ...valid(), name }])).toEqual([expect.stringMatching(/^\[0\]\.name: /)]);
});

test('requires both stages and reports every problem at once', () => {
  const t = valid();
  const problems = problemsOf([{ ...t, contact: 'nobody', stages: { sandbox: { quota: { ...t.stages.sandbox.quota, period: 'YEAR' } } } }]);
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^\[0\]\.contact: /),
      expect.stringMatching(/^\[0\]\.stages\.sandbox\.quota\.period: /),
      expect.stringMatching(/^\[0\]\.stages\.prod: is required/),
    ]),
  );
});

test('rejects unknown keys (a typo must not deploy a default)', () => {
  expect(problemsOf([{ ...valid(), authorizerCacheTTL: 10 }])).toEqual(['[0].authorizerCacheTTL: unknown key']);
});

test('rejects duplicate tenants and an empty list', () => {
  expect(problemsOf([valid(), valid()])).toEqual(['[1].name: duplicate tenant "acme"']);
  expect(problemsOf([])).toEqual(['must be a non-empty array of tenants']);
});

test('reports unreadable JSON with the file name', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tenants-')), 'tenants.json');
  fs.writeFileSync(file, '[{');
  expect(() => loadTenants(file)).toThrow(file);
});

test('names stacks <Tenant>-<stage>', () => {
  expect(stackNameFor('acme', 'sandbox')).toBe('Acme-sandbox');
  expect(stackNameFor('big-co', 'prod')).toBe('Big-co-prod');
});
