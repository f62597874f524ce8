/** The package bin (`npx workoutkit`) runs the TypeScript sources without a build step and sets the exit code. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import packageJson from '../../package.json';

const ROOT = path.resolve(__dirname, '..', '..');
const run = (args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'cli', 'bin.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    timeout: 60_000,
  });

describe('cli/bin.js', () => {
  it('is the package bin and prints the package version', () => {
    const pkg: { version: string; bin: Record<string, string> } = packageJson;
    expect(pkg.bin.workoutkit).toBe('cli/bin.js');
    const res = run(['--version']);
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 with a hint when no stage is given', () => {
    const res = run(['usage', 'acme-app']);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('hint: locally: --url http://127.0.0.1:3000/sandbox');
  });
});
