/** Renders the dashboard's sections from API answers. */
import { usageChart, usageSummary } from './chart';
import { byId, el, formatTime } from './dom';
import type { AuthFailures, Settings, Usage, UsageAnswer } from './types';

const SOURCE_LABEL: Record<string, string> = { jwks: 'JWKS (pasted)', jwks_uri: 'JWKS URL', pem: 'PEM' };

export function renderSettings(s: Settings): void {
  byId('client-title').textContent = s.clientName;
  byId('stage-name').textContent = s.stage;
  const body = byId<HTMLTableSectionElement>('keys-body');
  body.replaceChildren();
  const keys = s.keys?.keys ?? [];
  if (!s.keys || keys.length === 0) {
    body.append(
      el('tr', {}, el('td', { colspan: 3 }, s.keys?.kind === 'jwks_uri' ? 'The JWKS URL served no keys yet.' : 'No keys registered.')),
    );
  }
  for (const k of keys) {
    body.append(
      el(
        'tr',
        {},
        el('td', {}, el('code', {}, k.kid ?? '(no kid)')),
        el('td', {}, k.algs.join(', ') || '—'),
        el('td', {}, SOURCE_LABEL[k.source] ?? k.source),
      ),
    );
  }
  const where = byId('keys-source');
  where.textContent = s.keys?.jwksUri
    ? `Fetched from ${s.keys.jwksUri}; updated ${formatTime(s.keys.updatedAt)}.`
    : s.keys
      ? `Updated ${formatTime(s.keys.updatedAt)}.`
      : '';
}

function usageText(u: Usage): string {
  const reset = u.resetsAt ? ` Resets ${formatTime(u.resetsAt)}.` : '';
  return `${usageSummary(u)}${u.remaining !== null ? ` ${u.remaining.toLocaleString('en')} remaining.` : ''}${reset}`;
}

/** Two bars: the client's own quota, and the deployment's, which all the tenant's clients on this stage share. */
export function renderUsage(u: UsageAnswer): void {
  byId('usage-chart').replaceChildren(usageChart(u));
  byId('usage-text').textContent = usageText(u);
  const shared = byId('deployment-usage');
  shared.hidden = u.deployment === null;
  if (u.deployment) {
    byId('deployment-usage-chart').replaceChildren(usageChart(u.deployment));
    byId('deployment-usage-text').textContent = usageText(u.deployment);
  }
}

export function renderFailures(f: AuthFailures): void {
  const summary = byId<HTMLUListElement>('failures-summary');
  summary.replaceChildren();
  const reasons = Object.entries(f.byReason).sort((a, b) => b[1] - a[1]);
  for (const [reason, count] of reasons) summary.append(el('li', {}, el('code', {}, reason), `: ${count}`));
  const body = byId<HTMLTableSectionElement>('failures-body');
  body.replaceChildren();
  if (f.recent.length === 0)
    body.append(el('tr', {}, el('td', { colspan: 3 }, `No authentication failures since ${formatTime(f.since)}.`)));
  for (const r of f.recent) {
    body.append(
      el(
        'tr',
        {},
        el('td', {}, el('time', { datetime: r.at }, formatTime(r.at))),
        el('td', {}, el('code', {}, r.reason)),
        el('td', {}, r.tokenKind),
      ),
    );
  }
}
