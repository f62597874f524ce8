/**
 * The portal bundle is committed generated output (lambdas/public/portal-assets.generated.ts)
 * so the Lambda and the local gateway need no esbuild at run time; this rebuilds it from
 * portal/src and fails when the committed file is stale (fix: npm run build:portal).
 */
import { buildPortalAssets, committedModule, generatedModule } from '../../portal/build';
import { portalHtml } from '../../lambdas/public/portal-page';
import { basePath } from '../../lambdas/public/portal';

describe('portal assets', () => {
  it('match a fresh esbuild of portal/src', async () => {
    expect(committedModule()).toBe(generatedModule(await buildPortalAssets()));
  }, 30_000);

  it('never write HTML from strings in the script (Trusted Types would refuse it)', async () => {
    const { js } = await buildPortalAssets();
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(js).not.toMatch(/localStorage|sessionStorage|document\.cookie/);
  }, 30_000);
});

describe('portal page', () => {
  it('takes the stage base path from the request, and falls back to the root for anything odd', () => {
    const ev = (path: string) => ({ resource: '/portal', requestContext: { path } }) as Parameters<typeof basePath>[0];
    expect(basePath(ev('/sandbox/portal'))).toBe('/sandbox');
    expect(basePath(ev('/prod/portal/'))).toBe('/prod');
    expect(basePath(ev('/portal'))).toBe('');
    expect(basePath(ev('/x"><script>/portal'))).toBe('');
  });

  it('escapes what it interpolates', () => {
    const html = portalHtml({ base: '/sandbox', stage: '<b>', jsIntegrity: 'sha384-a', cssIntegrity: 'sha384-b' });
    expect(html).toContain('&lt;b&gt;');
    expect(html).not.toContain('<b>');
  });
});
