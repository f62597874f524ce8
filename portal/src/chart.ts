/**
 * Usage against quota as an SVG bar with quarter ticks. The drawing is decorative for
 * screen readers: the same figures are the element's accessible name and the text below.
 */
import { svg } from './dom';
import type { Usage } from './types';

const WIDTH = 480;
const HEIGHT = 64;
const BAR_Y = 8;
const BAR_H = 28;

export function usageSummary(u: Usage): string {
  if (u.limit === null) return `${u.used.toLocaleString('en')} requests this period; no quota is set.`;
  const pct = u.limit === 0 ? 100 : Math.round((u.used / u.limit) * 1000) / 10;
  const period = u.period ? ` per ${u.period.toLowerCase()}` : '';
  return `${u.used.toLocaleString('en')} of ${u.limit.toLocaleString('en')} requests${period} used (${pct}%).`;
}

export function usageChart(u: Usage): SVGElement {
  const limit = u.limit ?? Math.max(u.used, 1);
  const ratio = limit === 0 ? 1 : Math.min(1, u.used / limit);
  const level = ratio >= 0.9 ? 'critical' : ratio >= 0.75 ? 'warning' : 'ok';
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    width: '100%',
    role: 'img',
    'aria-label': `Usage chart: ${usageSummary(u)}`,
    class: 'usage-chart',
    'data-used': u.used,
    'data-limit': u.limit ?? '',
  });
  root.append(
    svg('rect', { x: 0, y: BAR_Y, width: WIDTH, height: BAR_H, rx: 4, class: 'usage-track' }),
    svg('rect', {
      x: 0,
      y: BAR_Y,
      width: Math.max(ratio * WIDTH, u.used > 0 ? 2 : 0),
      height: BAR_H,
      rx: 4,
      class: `usage-fill usage-${level}`,
    }),
  );
  for (const q of [0, 0.25, 0.5, 0.75, 1]) {
    const x = Math.min(WIDTH - 1, Math.max(1, q * WIDTH));
    root.append(svg('line', { x1: x, x2: x, y1: BAR_Y + BAR_H, y2: BAR_Y + BAR_H + 6, class: 'usage-tick' }));
    const anchor = q === 0 ? 'start' : q === 1 ? 'end' : 'middle';
    const label = u.limit === null ? '' : Math.round(q * u.limit).toLocaleString('en');
    root.append(svg('text', { x, y: HEIGHT - 4, 'text-anchor': anchor, class: 'usage-label' }, label));
  }
  return root;
}
