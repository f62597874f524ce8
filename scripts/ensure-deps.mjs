// Runs before `npm start` and `npm test`: on a fresh clone it installs exactly the lock
// file (npm ci), so the README's two commands are the whole set-up. An existing install is
// left alone (run `npm ci` yourself after changing branches).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('[setup] installing dependencies (npm ci)...');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
