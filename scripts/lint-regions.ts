/**
 * The regions cfn-lint checks the templates for (.ci/run): the two defaults plus every region
 * tenants.json names, wherever it names one (a `region` string or a `regions` list, at any
 * depth), so per-tenant or per-stage placement is covered however the config spells it.
 * us-east-1 stays in even when no tenant uses it: its resource schemas are the narrowest we
 * know of (AWS::CloudWatch::Dashboard has no Tags there).
 *
 *   npx tsx scripts/lint-regions.ts [tenants.json]   # prints "eu-west-1 us-east-1 ..."
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_LINT_REGIONS = ['us-east-1', 'eu-west-1'] as const;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

export function lintRegions(config: unknown): string[] {
  const found = new Set<string>(DEFAULT_LINT_REGIONS);
  const bad: string[] = [];
  const add = (v: unknown, at: string): void => {
    if (typeof v === 'string' && REGION.test(v)) found.add(v);
    else bad.push(`${at}: ${JSON.stringify(v)}`);
  };
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'region') add(x, `${at}.${k}`);
        else if (k === 'regions' && Array.isArray(x)) x.forEach((r, i) => add(r, `${at}.${k}[${i}]`));
        else walk(x, `${at}.${k}`);
      }
    }
  };
  walk(config, '');
  // A region we cannot read would silently go unlinted: refuse instead.
  if (bad.length > 0) throw new Error(`not an AWS region name: ${bad.join(', ')}`);
  return [...found].sort();
}

if (require.main === module) {
  const file = process.argv[2] ?? path.resolve(__dirname, '..', 'tenants.json');
  process.stdout.write(`${lintRegions(JSON.parse(fs.readFileSync(file, 'utf8'))).join(' ')}\n`);
}
