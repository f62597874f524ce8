import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_TENANTS_FILE, loadTenants, parseTenants, stackNameFor, TenantConfigError } from '../../lib/tenant-config';

const valid = () => ({
  name: 'acme',
  contact: 'ops@acme.example',
  alarmEmails: ['oncall@acme.example'],
  stages: {
    sandbox: {
      quota: { limit: 100, period: 'DAY' },
      throttle: { rateLimit: 5, burstLimit: 10 },
      tiers: { default: { rateLimit: 5, burstLimit: 10 } },
    },
    prod: {
      quota: { limit: 1000, period: 'MONTH' },
      tiers: { default: { rateLimit: 50, burstLimit: 100 }, premium: { rateLimit: 200, burstLimit: 400 } },
    },
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

describe('account, region and custom domains', () => {
  const domain = { name: 'api.acme.example', certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/abc-123' };
  const withDomain = (extra: Record<string, unknown> = {}, stageDomain: Record<string, unknown> = domain) => {
    const t = valid();
    return { ...t, ...extra, stages: { ...t.stages, prod: { ...t.stages.prod, domain: stageDomain } } };
  };

  test('reads a tenant account and region and a stage domain with its hosted zone', () => {
    const [t] = parseTenants([
      withDomain({ account: '111122223333', region: 'eu-west-1' }, { ...domain, hostedZone: { id: 'Z123ABC', name: 'acme.example.' } }),
    ]);
    expect(t).toMatchObject({ account: '111122223333', region: 'eu-west-1' });
    expect(t?.stages.prod.domain).toEqual({ ...domain, hostedZone: { id: 'Z123ABC', name: 'acme.example' } });
    expect(t?.stages.sandbox.domain).toBeUndefined();
  });

  test('leaves account, region and domain out when the tenant names none', () => {
    const [t] = parseTenants([valid()]);
    expect(t && 'account' in t).toBe(false);
    expect(t && 'region' in t).toBe(false);
    expect(t && 'domain' in t.stages.prod).toBe(false);
  });

  test('rejects a malformed account, region, domain name, certificate ARN and hosted zone', () => {
    const problems = problemsOf([
      withDomain(
        { account: 1234, region: 'Europe' },
        { name: 'API.acme', certificateArn: 'arn:aws:iam::1:role/x', hostedZone: { id: 'nope', name: 'other.example' } },
      ),
    ]);
    for (const at of [
      'account',
      'region',
      'stages.prod.domain.name',
      'stages.prod.domain.certificateArn',
      'stages.prod.domain.hostedZone.id',
      'stages.prod.domain.hostedZone.name',
    ]) {
      expect(problems).toContainEqual(expect.stringContaining(`[0].${at}:`));
    }
  });

  test("rejects a certificate outside the tenant's region or account (regional domains need their region's certificate)", () => {
    expect(problemsOf([withDomain({ account: '111122223333', region: 'us-east-1' })])).toEqual([
      expect.stringMatching(/certificateArn: must be in the tenant's region us-east-1/),
    ]);
    expect(problemsOf([withDomain({ account: '999999999999' })])).toEqual([
      expect.stringMatching(/certificateArn: must be in the tenant's account 999999999999/),
    ]);
  });

  test('rejects one domain name used by two stages', () => {
    const t = withDomain();
    const twice = { ...t, stages: { ...t.stages, sandbox: { ...t.stages.sandbox, domain } } };
    expect(problemsOf([twice])).toEqual([expect.stringMatching(/domain api\.acme\.example is used twice/)]);
  });
});

test('declares tiers per stage with default always, and refuses throttling inside a quota or tiers above the stage throttle', () => {
  const t = valid();
  expect(parseTenants([t])[0]?.stages.prod.tiers).toEqual({
    default: { rateLimit: 50, burstLimit: 100 },
    premium: { rateLimit: 200, burstLimit: 400 },
  });
  const problems = problemsOf([
    {
      ...t,
      stages: {
        sandbox: {
          quota: { limit: 100, period: 'DAY', rateLimit: 5 },
          throttle: { rateLimit: 5, burstLimit: 10 },
          tiers: { default: { rateLimit: 6, burstLimit: 10 } },
        },
        prod: { tiers: { premium: { rateLimit: 1, burstLimit: 1 }, 'Bad Name': { rateLimit: 1, burstLimit: 1 } } },
      },
    },
  ]);
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^\[0\]\.stages\.sandbox\.quota\.rateLimit: throttling is no part of a quota/),
      expect.stringMatching(/^\[0\]\.stages\.sandbox\.tiers\.default\.rateLimit: is above the stage throttle/),
      expect.stringMatching(/^\[0\]\.stages\.prod\.tiers\.default: is required/),
      expect.stringMatching(/^\[0\]\.stages\.prod\.tiers\.Bad Name: tier names/),
    ]),
  );
});

test('leaves the deployment quota out when a stage declares none', () => {
  const t = valid();
  const [parsed] = parseTenants([{ ...t, stages: { ...t.stages, prod: { tiers: t.stages.prod.tiers } } }]);
  expect(parsed?.stages.prod.quota).toBeUndefined();
});
