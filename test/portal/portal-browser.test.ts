/**
 * The developer portal in Debian's Chromium (playwright-core) against the local gateway:
 * sign-in (one message for a wrong secret and an unknown client), keys, secret rotation,
 * auth failures, the strict CSP, and a token kept out of every browser storage.
 * WK_PORTAL_SCREENSHOTS=1 also writes docs/img/portal-*.png.
 */
// Expressions passed to page.evaluate as strings run in the page (this file has no DOM types).
import { afterClientCaches } from '../support/caches';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createClient } from '../support/clients';
import { launchChromium, type TestBrowser } from '../support/browser';
import { keyPair, nowSeconds, signHs256, signWith } from '../support/keys';
import { startTestGateway, type TestGateway } from '../support/local-gateway';

const SIGN_IN_FAILED = 'Sign-in failed: the client name or the client secret is not right.';
const SHOTS = process.env.WK_PORTAL_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../docs/img') : undefined;

let gw: TestGateway;
let chrome: TestBrowser;
let page: Page;
let secret: string;
const problems: string[] = [];

async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  // Even a throwaway test secret stays out of committed pictures.
  await page.screenshot({
    path: path.join(SHOTS, `portal-${name}.png`),
    fullPage: true,
    mask: [page.locator('#new-secret-value')],
    maskColor: '#dde3ea',
  });
}

async function signIn(clientName: string, clientSecret: string): Promise<void> {
  await page.fill('#client-name', clientName);
  await page.fill('#client-secret', clientSecret);
  await page.click('#sign-in-form button[type="submit"]');
}

beforeAll(async () => {
  // The sandbox stage has a deployment quota, so the page shows both bars.
  gw = await startTestGateway({
    authorizerCacheTtlSeconds: 0,
    quotaConfig: { sandbox: { deployment: { limit: 50_000, period: 'MONTH' }, tiers: { default: { rateLimit: 50, burstLimit: 100 } } } },
  });
  secret = await createClient(gw, 'sandbox', 'portal-acme', { scopes: ['settings'], quota: { limit: 1000, period: 'DAY' } });
  chrome = await launchChromium();
  page = await chrome.context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => void d.accept());
  await page.goto(gw.url('sandbox', '/portal'));
}, 60_000);

afterAll(async () => {
  await chrome?.close();
  await gw?.close();
});

describe('developer portal', () => {
  it('serves the page with a strict CSP and no inline script', async () => {
    const res = await fetch(gw.url('sandbox', '/portal'));
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=/i);
    await page.waitForSelector('#sign-in-view:not([hidden])');
    expect(await page.isHidden('#no-script')).toBe(true);
  });

  it('shows one message for a wrong secret and for an unknown client name', async () => {
    await signIn('portal-acme', 'not-the-secret');
    await page.waitForSelector('#sign-in-error:not([hidden])');
    const wrongSecret = await page.textContent('#sign-in-error');
    await signIn('no-such-client', 'whatever');
    await page.waitForSelector('#client-secret:focus');
    const unknownName = await page.textContent('#sign-in-error');
    expect(wrongSecret).toBe(SIGN_IN_FAILED);
    expect(unknownName).toBe(SIGN_IN_FAILED);
    expect(await page.getAttribute('#sign-in-error', 'role')).toBe('alert');
    await shot('sign-in-error');
  });

  it('signs in from the keyboard and keeps the token in memory only', async () => {
    await page.fill('#client-name', '');
    await page.fill('#client-secret', '');
    await page.focus('#client-name');
    await page.keyboard.type('portal-acme');
    await page.keyboard.press('Tab');
    await page.keyboard.type(secret);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#dashboard:not([hidden])');
    expect(await page.evaluate('document.activeElement?.id')).toBe('dashboard-title');
    expect(await page.textContent('#client-title')).toBe('portal-acme');
    const stored = await page.evaluate('({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie })');
    expect(stored).toEqual({ local: 0, session: 0, cookie: '' });
    expect(await chrome.context.cookies()).toEqual([]);
    expect(await page.inputValue('#client-secret')).toBe('');
  });

  it('draws usage against quota as an accessible SVG chart', async () => {
    const chart = await page.waitForSelector('#usage-chart svg[role="img"]');
    expect(await chart.getAttribute('data-limit')).toBe('1000');
    expect(Number(await chart.getAttribute('data-used'))).toBeGreaterThanOrEqual(1);
    expect(await chart.getAttribute('aria-label')).toMatch(/^Usage chart: \d+ of 1,000 requests per day used/);
    expect(await page.textContent('#usage-text')).toMatch(/remaining\. Resets /);
    expect(await page.isHidden('#usage-error')).toBe(true);
  });

  it("draws the stage's shared deployment quota beside the client's own", async () => {
    const shared = await page.waitForSelector('#deployment-usage-chart svg[role="img"]');
    expect(await page.isVisible('#deployment-usage')).toBe(true);
    expect(await shared.getAttribute('data-limit')).toBe('50000');
    expect(Number(await shared.getAttribute('data-used'))).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('#deployment-usage-text')).toMatch(/of 50,000 requests per month used/);
  });

  it('registers a pasted JWKS, and the API then accepts a token signed by that key', async () => {
    const key = keyPair('RS256', 'portal-rs256');
    await page.fill('#jwks-text', JSON.stringify({ keys: [key.publicJwk] }));
    await page.click('#keys-form button[type="submit"]');
    await page.waitForSelector('#keys-body >> text=portal-rs256');
    expect(await page.textContent('#keys-body')).toContain('RS256');
    // The portal's own calls made the authorizer read portal-acme: it sees the key after its client cache.
    await afterClientCaches();
    const token = await signWith(key, { clientName: 'portal-acme', iat: nowSeconds() });
    const res = await gw.call('sandbox', 'GET', '/v1/auth/verify', { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clientName: 'portal-acme', tokenKind: 'client-asymmetric', kid: 'portal-rs256' });
  });

  it("shows the contract's error for a private key pasted as a JWKS", async () => {
    const privateJwk = keyPair('ES256').privateKey.export({ format: 'jwk' });
    await page.fill('#jwks-text', JSON.stringify({ keys: [privateJwk] }));
    await page.click('#keys-form button[type="submit"]');
    await page.waitForSelector('#keys-error:not([hidden])');
    expect(await page.textContent('#keys-error')).toMatch(/^invalid_request: /);
    expect(await page.textContent('#keys-body')).toContain('portal-rs256');
    await page.fill('#jwks-text', '');
    expect(await page.isHidden('#keys-error')).toBe(true);
  });

  it('lists a refused token under recent authentication failures', async () => {
    await gw.call('sandbox', 'GET', '/v1/auth/verify', { token: signHs256('wrong', { clientName: 'portal-acme', iat: nowSeconds() }) });
    await page.click('#refresh');
    await page.waitForSelector('#failures-body >> text=invalid_signature');
    expect(await page.textContent('#failures-summary')).toContain('invalid_signature');
    await shot('dashboard');
  });

  it('rotates the secret: shown once with a copy button; the old one stops after the grace period', async () => {
    await page.fill('#grace-seconds', '1');
    await page.click('#rotate-form button[type="submit"]');
    await page.waitForSelector('#new-secret:not([hidden])');
    const fresh = await page.inputValue('#new-secret-value');
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(secret);
    expect(await page.isVisible('#copy-secret')).toBe(true);
    await shot('rotated');
    await new Promise((r) => setTimeout(r, 2100));
    const old = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'portal-acme', clientSecret: secret } });
    expect([old.status, old.body.error]).toEqual([401, 'invalid_client']);
    const now = await gw.call('sandbox', 'POST', '/authtoken', { body: { clientName: 'portal-acme', clientSecret: fresh } });
    expect(now.status).toBe(200);
  }, 30_000);

  it('signs out, forgetting the token and the shown secret', async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in-view:not([hidden])');
    expect(await page.inputValue('#new-secret-value')).toBe('');
    expect(await page.evaluate('document.activeElement?.id')).toBe('client-name');
  });

  it('ran without a console error or a CSP violation', () => {
    // HTTP error answers the page handles (401 sign-ins, the 400 key) log "Failed to load
    // resource"; a CSP refusal ("Refused to ...") or a script error would show here.
    expect(problems.filter((p) => !p.startsWith('Failed to load resource'))).toEqual([]);
  });
});
