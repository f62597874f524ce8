/**
 * GET /portal, /portal/app.js, /portal/app.css: the developer portal (docs/portal.md).
 * The page holds no inline script or style, so the Content-Security-Policy can forbid
 * both; the bundle and stylesheet come from the same origin with Subresource Integrity.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Deps } from '../runtime/deps';
import type { OperationTable } from '../runtime/http';
import { PORTAL_CSS, PORTAL_CSS_INTEGRITY, PORTAL_JS, PORTAL_JS_INTEGRITY } from './portal-assets.generated';
import { portalHtml } from './portal-page';

/**
 * default-src 'none' then only what the page needs: its own script and stylesheet, fetch to
 * its own origin. form-action 'none': were the script to fail, a form must not fall back to a
 * GET that puts the secret in the URL. Trusted Types: the page never writes HTML strings.
 * https://www.w3.org/TR/CSP3/ , https://w3c.github.io/trusted-types/dist/spec/
 */
export const PORTAL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': PORTAL_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const SAFE_PATH = /^(?:\/[A-Za-z0-9._~-]+)*$/;

/**
 * The stage's base path as the browser sees it (`/sandbox` on the execute-api URL, the base
 * path mapping on a custom domain), from the request path minus the resource. Anything
 * unexpected falls back to '' rather than reaching the HTML.
 */
export function basePath(event: Pick<APIGatewayProxyEvent, 'requestContext' | 'resource'>): string {
  const full = (event.requestContext?.path ?? '').replace(/\/+$/, '');
  const base = full.endsWith(event.resource) ? full.slice(0, full.length - event.resource.length) : '';
  return SAFE_PATH.test(base) ? base : '';
}

export function portalOperations(
  deps: Pick<Deps, 'env'>,
): Pick<OperationTable<'public'>, 'getPortalPage' | 'getPortalScript' | 'getPortalStyles'> {
  return {
    getPortalPage: async (req) => ({
      status: 200,
      raw: portalHtml({
        base: basePath(req.event),
        stage: deps.env.STAGE,
        jsIntegrity: PORTAL_JS_INTEGRITY,
        cssIntegrity: PORTAL_CSS_INTEGRITY,
      }),
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS },
    }),
    getPortalScript: async () => ({
      status: 200,
      raw: PORTAL_JS,
      headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300', ...SECURITY_HEADERS },
    }),
    getPortalStyles: async () => ({
      status: 200,
      raw: PORTAL_CSS,
      headers: { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=300', ...SECURITY_HEADERS },
    }),
  };
}
