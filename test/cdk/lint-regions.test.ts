import { loadTenants } from '../../lib/tenant-config';
import { DEFAULT_LINT_REGIONS, lintRegions } from '../../scripts/lint-regions';
import * as fs from 'node:fs';
import * as path from 'node:path';

test('lints the defaults when the tenant config names no region', () => {
  expect(lintRegions([{ name: 'acme', stages: {} }])).toEqual([...DEFAULT_LINT_REGIONS].sort());
});

test('adds every region the config names, per tenant or per stage, once each', () => {
  const config = [
    { name: 'acme', region: 'eu-central-1', stages: { prod: { region: 'ap-southeast-2' }, sandbox: { region: 'eu-west-1' } } },
    { name: 'globex', regions: ['us-west-2', 'eu-central-1'] },
  ];
  expect(lintRegions(config)).toEqual(['ap-southeast-2', 'eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2']);
});

test('refuses a region it cannot read rather than skipping it', () => {
  expect(() => lintRegions([{ name: 'acme', region: 'Frankfurt' }])).toThrow(/\[0\]\.region: "Frankfurt"/);
  expect(() => lintRegions([{ name: 'acme', stages: { prod: { region: 42 } } }])).toThrow(/not an AWS region/);
});

test('reads the checked-in tenants.json, which loads as a valid config', () => {
  const file = path.resolve(__dirname, '../../tenants.json');
  expect(loadTenants(file).length).toBeGreaterThan(0);
  expect(lintRegions(JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual(expect.arrayContaining([...DEFAULT_LINT_REGIONS]));
});
