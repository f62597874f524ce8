// Runs before `npm start` and `npm test`, so the README's two commands are the whole set-up.
// - On a fresh clone it installs exactly the lock file (npm ci); an existing install is left
//   alone (run `npm ci` yourself after changing branches).
// - With --browser (before the tests): the portal's browser tests drive Debian's Chromium
//   (playwright-core downloads no browser); install it with apt-get when it is missing.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('[setup] installing dependencies (npm ci)...');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const chromium = process.env.WK_CHROMIUM_PATH ?? '/usr/bin/chromium';
if (process.argv.includes('--browser') && !existsSync(chromium)) {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.error(`[setup] the browser tests need Chromium at ${chromium}: install Debian's package "chromium" (or set WK_CHROMIUM_PATH)`);
    process.exit(1);
  }
  console.log('[setup] installing Chromium for the browser tests (apt-get install chromium)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], env);
  run('apt-get', ['install', '-y', 'chromium'], env);
}
