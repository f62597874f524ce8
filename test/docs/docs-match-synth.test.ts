/**
 * The operator docs against the synthesized stacks of every tenant in tenants.json.
 *
 * docs/runbook.md has one section per alarm the stacks create (`## Alarm \`<construct id>\``,
 * each with what it means, how to confirm and what to do), and none for alarms that are gone.
 * Alarms are read from the synthesized stacks of every tenant in tenants.json, by construct id,
 * so a new alarm anywhere in lib/ fails this test until the runbook covers it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import { Template } from 'aws-cdk-lib/assertions';
import { WIDGET } from '../../lib/stage-monitoring';
import { loadTenants } from '../../lib/tenant-config';
import { synthTenants } from '../cdk/template-helpers';

const RUNBOOK = path.resolve(__dirname, '../../docs/runbook.md');
const runbook = readFileSync(RUNBOOK, 'utf8');

/**
 * `## Alarm \`QuotaAlarm\`` → its text up to the next `## `. A name may hold a placeholder in
 * angle brackets (`FunctionErrors-<function>`): one section for a family of alarms.
 */
function runbookSections(): Map<string, string> {
  const out = new Map<string, string>();
  const parts = runbook.split(/^## /m).slice(1);
  for (const part of parts) {
    const m = /^Alarm `([^`]+)`/.exec(part);
    if (m?.[1]) out.set(m[1], part);
  }
  return out;
}

const patternOf = (name: string): RegExp =>
  new RegExp(
    `^${name
      .split(/<[^>]+>/)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[A-Za-z0-9]+')}$`,
  );
const sectionFor = (id: string): string | undefined => [...sections.keys()].find((name) => patternOf(name).test(id));

const stacks = synthTenants(loadTenants());

function stackAlarms(): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const stack of stacks) {
    for (const c of stack.node.findAll()) {
      if (c instanceof cw.Alarm) byId.set(c.node.id, [...(byId.get(c.node.id) ?? []), stack.stackName]);
    }
  }
  return byId;
}

const sections = runbookSections();
let alarms: Map<string, string[]>;
beforeAll(() => {
  alarms = stackAlarms();
});

test('the stacks create alarms at all (the check below would pass vacuously otherwise)', () => {
  expect(alarms.size).toBeGreaterThan(0);
});

test('every alarm the stacks create has a runbook section, and every section an alarm', () => {
  const missing = [...alarms.keys()].filter((id) => sectionFor(id) === undefined).sort();
  const stale = [...sections.keys()].filter((name) => ![...alarms.keys()].some((id) => patternOf(name).test(id))).sort();
  const problems = [
    ...missing.map(
      (id) =>
        `docs/runbook.md has no section for alarm ${id} (in ${alarms.get(id)?.join(', ')}): add "## Alarm \`${id}\`" (or one section for a family, e.g. \`FunctionErrors-<function>\`) with What it means / Confirm / Act`,
    ),
    ...stale.map((id) => `docs/runbook.md has a section for alarm ${id}, which no stack creates any more: remove or rename it`),
  ];
  expect(problems).toEqual([]);
});

test.each([...sections.keys()])('the runbook section of %s says what it means, how to confirm and what to do', (id) => {
  const text = sections.get(id) as string;
  const missing = ['**What it means.**', '**Confirm.**', '**Act.**'].filter((h) => !text.includes(h));
  expect(missing).toEqual([]);
  // A Logs Insights query or a CLI command to act with, not prose alone.
  expect(text).toMatch(/```/);
  expect(text).toMatch(/npx workoutkit |aws /);
});

test('every dashboard widget the runbook names exists on the dashboard', () => {
  const named = [...runbook.matchAll(/^- Dashboard: (.*)$/gm)].flatMap((m) =>
    [...(m[1] ?? '').matchAll(/\*([^*]+)\*/g)].map((w) => w[1] as string),
  );
  expect(named.length).toBeGreaterThan(0);
  const titles: readonly string[] = Object.values(WIDGET);
  expect(named.filter((n) => !titles.includes(n))).toEqual([]);
});

describe('docs/deploy.md, "What each stack contains", says what the synth makes', () => {
  const deploy = readFileSync(path.resolve(__dirname, '../../docs/deploy.md'), 'utf8');
  const templates = stacks.map(
    (st) => Template.fromStack(st).toJSON() as { Resources: Record<string, { Type: string }>; Outputs?: Record<string, unknown> },
  );

  test('the function count', () => {
    const counts = new Set(templates.map((t) => Object.values(t.Resources).filter((r) => r.Type === 'AWS::Lambda::Function').length));
    expect(counts.size).toBe(1);
    const documented = /^\| (\d+) Lambda functions \|/m.exec(deploy)?.[1];
    expect(Number(documented)).toBe([...counts][0]);
  });

  test('every output the stacks declare', () => {
    const row = /^\| Outputs \|(.*)\|$/m.exec(deploy)?.[1] ?? '';
    const names = new Set(templates.flatMap((t) => Object.keys(t.Outputs ?? {})));
    // CDK's own endpoint output carries a hashed id; the row names it by its readable part.
    const missing = [...names].filter((n) => !row.includes(/GatewayApiEndpoint/.test(n) ? 'GatewayApiEndpoint' : `\`${n}\``));
    expect(missing).toEqual([]);
  });
});
