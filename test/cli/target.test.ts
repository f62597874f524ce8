/** Stage selection: --url, or --tenant/--stage read from the CDK outputs file; SigV4 for execute-api hosts. */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from '../../cli/exit-codes';
import { regionOfHost, resolveTarget } from '../../cli/target';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wk-cli-'));
const outputsFile = path.join(dir, 'cdk-outputs.json');
writeFileSync(
  outputsFile,
  JSON.stringify({
    'Acme-sandbox': { ApiUrl: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/sandbox/', TableName: 't' },
    'Acme-prod': { ApiUrl: 'https://f6g7h8i9j0.execute-api.eu-west-1.amazonaws.com/prod/' },
    'Initech-prod': { ApiUrl: 'https://k1l2m3n4o5.execute-api.eu-central-1.amazonaws.com/prod/', BaseUrl: 'https://api.initech.example' },
  }),
);

function usageFailure(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('resolveTarget', () => {
  it('reads <Tenant>-<stage> ApiUrl from the outputs file and signs with SigV4 in the host region', () => {
    const t = resolveTarget({ tenant: 'acme', stage: 'prod', outputsFile }, {});
    expect(t).toEqual({
      baseUrl: 'https://f6g7h8i9j0.execute-api.eu-west-1.amazonaws.com/prod',
      operatorAuth: { kind: 'iam', region: 'eu-west-1' },
      stage: 'prod',
    });
  });

  it("prefers the BaseUrl output (the stage's custom domain) and still signs in the execute-api URL's region", () => {
    const t = resolveTarget({ tenant: 'initech', stage: 'prod', outputsFile }, {});
    expect(t).toEqual({ baseUrl: 'https://api.initech.example', operatorAuth: { kind: 'iam', region: 'eu-central-1' }, stage: 'prod' });
  });

  it('uses the operator key for the local gateway URL', () => {
    const t = resolveTarget({ url: 'http://127.0.0.1:3000/sandbox/' }, {});
    expect(t).toEqual({ baseUrl: 'http://127.0.0.1:3000/sandbox', operatorAuth: { kind: 'admin-key' }, stage: 'sandbox' });
  });

  it('lets --auth iam sign for a custom domain with --region', () => {
    expect(resolveTarget({ url: 'https://api.example.com/prod', auth: 'iam', region: 'us-east-1' }, {}).operatorAuth).toEqual({
      kind: 'iam',
      region: 'us-east-1',
    });
  });

  it('says how to produce the outputs file when it is missing, and names the missing stack', () => {
    const missing = usageFailure(() => resolveTarget({ tenant: 'acme', stage: 'prod', outputsFile: path.join(dir, 'nope.json') }, {}));
    expect(missing.exitCode).toBe(2);
    expect(missing.hint).toContain('--outputs-file cdk-outputs/acme.json');
    const unknown = usageFailure(() => resolveTarget({ tenant: 'globex', stage: 'prod', outputsFile }, {}));
    expect(unknown.message).toContain('No ApiUrl output for stack Globex-prod');
    expect(unknown.hint).toContain('npx cdk deploy Globex-prod');
  });

  it('reads every file of an outputs folder, so deploying one tenant keeps the others reachable', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'wk-outputs-'));
    writeFileSync(
      path.join(folder, 'acme.json'),
      JSON.stringify({ 'Acme-prod': { ApiUrl: 'https://aaaa111111.execute-api.eu-west-1.amazonaws.com/prod/' } }),
    );
    writeFileSync(
      path.join(folder, 'globex.json'),
      JSON.stringify({ 'Globex-sandbox': { ApiUrl: 'https://bbbb222222.execute-api.us-east-1.amazonaws.com/sandbox/' } }),
    );
    expect(resolveTarget({ tenant: 'acme', stage: 'prod', outputsFile: folder }, {}).baseUrl).toBe(
      'https://aaaa111111.execute-api.eu-west-1.amazonaws.com/prod',
    );
    const globex = resolveTarget({ tenant: 'globex', stage: 'sandbox' }, { WK_CDK_OUTPUTS: folder });
    expect(globex).toMatchObject({
      baseUrl: 'https://bbbb222222.execute-api.us-east-1.amazonaws.com/sandbox',
      operatorAuth: { kind: 'iam', region: 'us-east-1' },
    });
  });

  it('by default reads cdk-outputs/*.json and the single cdk-outputs.json, the newest deploy winning', () => {
    const cwd = process.cwd();
    const work = mkdtempSync(path.join(os.tmpdir(), 'wk-cwd-'));
    try {
      process.chdir(work);
      writeFileSync(
        'cdk-outputs.json',
        JSON.stringify({
          'Acme-sandbox': { ApiUrl: 'https://old0000000.execute-api.eu-west-1.amazonaws.com/sandbox/' },
          'Acme-prod': { ApiUrl: 'https://cccc333333.execute-api.eu-west-1.amazonaws.com/prod/' },
        }),
      );
      mkdirSync('cdk-outputs');
      writeFileSync(
        'cdk-outputs/acme.json',
        JSON.stringify({ 'Acme-sandbox': { ApiUrl: 'https://new0000000.execute-api.eu-west-1.amazonaws.com/sandbox/' } }),
      );
      utimesSync('cdk-outputs.json', new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      expect(resolveTarget({ tenant: 'acme', stage: 'sandbox' }, {}).baseUrl).toBe(
        'https://new0000000.execute-api.eu-west-1.amazonaws.com/sandbox',
      );
      expect(resolveTarget({ tenant: 'acme', stage: 'prod' }, {}).baseUrl).toBe(
        'https://cccc333333.execute-api.eu-west-1.amazonaws.com/prod',
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses --url together with --tenant, and --tenant without --stage', () => {
    expect(usageFailure(() => resolveTarget({ url: 'http://x/sandbox', tenant: 'acme', stage: 'prod' }, {})).exitCode).toBe(2);
    expect(usageFailure(() => resolveTarget({ tenant: 'acme' }, {})).exitCode).toBe(2);
  });

  it('parses the region of execute-api hosts only', () => {
    expect(regionOfHost('abc.execute-api.us-west-2.amazonaws.com')).toBe('us-west-2');
    expect(regionOfHost('abc.execute-api.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
    expect(regionOfHost('execute-api.us-west-2.amazonaws.com.evil.example')).toBeUndefined();
  });
});
