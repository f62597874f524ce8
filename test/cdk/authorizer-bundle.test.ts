/**
 * The authorizer runs before every cached-miss request: its bundle carries no request schema
 * and no schema library (the request schemas are read by the functions behind it). Built with
 * the deployed esbuild settings' resolution (lib/bundled-function.ts LAMBDA_ESBUILD).
 */
import path from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_ESBUILD } from '../../lib/bundled-function';
import { FUNCTIONS } from '../../lambdas/gateway/routes';

const ROOT = path.join(__dirname, '..', '..');

async function bundledInputs(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    alias: Object.fromEntries(Object.entries(LAMBDA_ESBUILD.alias).map(([from, to]) => [from, path.join(ROOT, to)])),
    logLevel: 'error',
  });
  return Object.keys(result.metafile.inputs);
}

describe('bundles and the request schemas', () => {
  it('the authorizer bundle holds neither valibot nor lambdas/core/schemas', async () => {
    const inputs = await bundledInputs(FUNCTIONS.authorizer.entry);
    expect(inputs.length).toBeGreaterThan(50);
    expect(inputs.filter((i) => /node_modules\/(@valibot|valibot)\/|lambdas\/core\/schemas\//.test(i))).toEqual([]);
  });

  it('the admin bundle reads its bodies with them (the check above is not vacuous)', async () => {
    const inputs = await bundledInputs(FUNCTIONS.admin.entry);
    expect(inputs).toEqual(expect.arrayContaining(['lambdas/core/schemas/validate.ts', 'lambdas/core/schemas/session.ts']));
    expect(inputs.some((i) => /node_modules\/valibot\//.test(i))).toBe(true);
  });
});
