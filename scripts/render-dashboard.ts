/**
 * Renders the widget grid of a stage's dashboard, read from the synthesized template's
 * DashboardBody (so the picture is what `cdk deploy` creates), as an SVG.
 *   npx tsx scripts/render-dashboard.ts [Stack-name] [out.svg]   (default Acme-sandbox, docs/dashboard.svg)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { loadTenants } from '../lib/tenant-config';
import { addTenantStacks } from '../lib/tenant-stacks';

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: { title?: string; markdown?: string; metrics?: unknown[][]; alarms?: unknown[] };
}

/** Fn::Join of strings and tokens → one string, tokens shown as `{Ref}` / `{Attr}` / `{Region}`. */
function flatten(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(sep);
    }
    if (typeof o.Ref === 'string') return o.Ref.startsWith('AWS::') ? `{${o.Ref.slice(5)}}` : '{ref}';
    if (o['Fn::GetAtt']) return '{attr}';
  }
  return '';
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function describe(w: Widget): string {
  if (w.type === 'text') return 'markdown header';
  if (w.type === 'alarm') return `${w.properties.alarms?.length ?? 0} alarms: quota > 80 %, 5xx rate, invalid_signature spike`;
  const metrics = w.properties.metrics ?? [];
  const searches = metrics.filter((m) => JSON.stringify(m).includes('SEARCH(')).length;
  const plain = metrics.length - searches;
  return [plain ? `${plain} metric${plain > 1 ? 's' : ''}` : '', searches ? `${searches} per-client/reason SEARCH` : '']
    .filter(Boolean)
    .join(' + ');
}

export function renderDashboardSvg(widgets: readonly Widget[], heading: string): string {
  const col = 44;
  const row = 22;
  const pad = 16;
  const width = 24 * col + 2 * pad;
  const height = Math.max(...widgets.map((w) => w.y + w.height)) * row + 2 * pad + 28;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="#f4f5f7"/>`,
    `<text x="${pad}" y="${pad + 12}" font-size="14" fill="#333">${esc(heading)}</text>`,
  ];
  for (const w of widgets) {
    const x = pad + w.x * col;
    const y = pad + 28 + w.y * row;
    const fill = w.type === 'alarm' ? '#fdecea' : w.type === 'text' ? '#e8eef7' : '#ffffff';
    const title = w.type === 'text' ? (w.properties.markdown ?? '').replace(/^#\s*/, '') : (w.properties.title ?? w.type);
    parts.push(
      `<rect x="${x + 2}" y="${y + 2}" width="${w.width * col - 4}" height="${w.height * row - 4}" rx="4" fill="${fill}" stroke="#c5cad3"/>`,
      `<text x="${x + 12}" y="${y + (w.height > 1 ? 20 : 15)}" font-size="13" font-weight="bold" fill="#16191f">${esc(title)}</text>`,
    );
    if (w.type !== 'text') {
      parts.push(`<text x="${x + 12}" y="${y + 40}" font-size="11" fill="#5f6b7a">${esc(`${w.type}: ${describe(w)}`)}</text>`);
    }
    if (w.type === 'metric' && w.height >= 4) {
      // A sketch of a line chart, so the picture reads as a dashboard.
      const bx = x + 14;
      const by = y + w.height * row - 18;
      const span = w.width * col - 32;
      const pts = Array.from({ length: 13 }, (_, i) => `${bx + (i * span) / 12},${by - 18 - ((i * 37 + w.x * 11 + w.y * 7) % 50)}`);
      parts.push(
        `<line x1="${bx}" y1="${by}" x2="${bx + span}" y2="${by}" stroke="#d5dbe3"/>`,
        `<polyline points="${pts.join(' ')}" fill="none" stroke="#0972d3" stroke-width="1.5"/>`,
      );
    }
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export function dashboardWidgets(stackName: string): Widget[] {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = addTenantStacks(app, loadTenants()).find((s) => s.stackName === stackName);
  if (!stack) throw new Error(`no stack ${stackName}`);
  const template = app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties: { DashboardBody: unknown } }>;
  };
  const dash = Object.values(template.Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  if (!dash) throw new Error('no dashboard in the template');
  return (JSON.parse(flatten(dash.Properties.DashboardBody)) as { widgets: Widget[] }).widgets;
}

if (require.main === module) {
  const stackName = process.argv[2] ?? 'Acme-sandbox';
  const out = path.resolve(process.argv[3] ?? path.join(__dirname, '..', 'docs', 'dashboard.svg'));
  const widgets = dashboardWidgets(stackName);
  writeFileSync(out, renderDashboardSvg(widgets, `CloudWatch dashboard of ${stackName} (from the synthesized DashboardBody)`));
  console.log(`${widgets.length} widgets → ${out}`);
}
