/** Stage selection: --url, or --tenant/--stage read from the CDK outputs file; SigV4 for execute-api hosts. */
import { mkdtempSync, writeFileSync } from 'node:fs';
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
    expect(t).toEqual({ baseUrl: 'https://f6g7h8i9j0.execute-api.eu-west-1.amazonaws.com/prod', operatorAuth: { kind: 'iam', region: 'eu-west-1' }, stage: 'prod' });
  });

  it('uses the operator key for the local gateway URL', () => {
    const t = resolveTarget({ url: 'http://127.0.0.1:3000/sandbox/' }, {});
    expect(t).toEqual({ baseUrl: 'http://127.0.0.1:3000/sandbox', operatorAuth: { kind: 'admin-key' }, stage: 'sandbox' });
  });

  it('lets --auth iam sign for a custom domain with --region', () => {
    expect(resolveTarget({ url: 'https://api.example.com/prod', auth: 'iam', region: 'us-east-1' }, {}).operatorAuth).toEqual({ kind: 'iam', region: 'us-east-1' });
  });

  it('says how to produce the outputs file when it is missing, and names the missing stack', () => {
    const missing = usageFailure(() => resolveTarget({ tenant: 'acme', stage: 'prod', outputsFile: path.join(dir, 'nope.json') }, {}));
    expect(missing.exitCode).toBe(2);
    expect(missing.hint).toContain('--outputs-file cdk-outputs.json');
    const unknown = usageFailure(() => resolveTarget({ tenant: 'globex', stage: 'prod', outputsFile }, {}));
    expect(unknown.message).toContain('No ApiUrl output for stack Globex-prod');
    expect(unknown.hint).toContain('npx cdk deploy Globex-prod');
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
