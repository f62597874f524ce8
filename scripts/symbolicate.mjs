// Maps a deployed function's stack trace back to the TypeScript sources.
//
// The Lambda bundles are minified and run without --enable-source-maps (enabling them costs
// every cold start ~40 ms, docs/benchmarks.md), so a stack from CloudWatch Logs names
// positions in the bundle: `at verifyIssued (/var/task/index.js:1:123456)`. Function and
// class names are kept (esbuild keepNames), and each asset has its source map beside the
// bundle: `cdk.out/asset.<hash>/index.js.map` after `npx cdk synth` of the same commit.
//
//   node scripts/symbolicate.mjs cdk.out/asset.<hash>/index.js.map < stack.txt
//
// Every `index.js:<line>:<column>` in the input is rewritten to `<source>:<line>:<column>`;
// the rest of each line is left as it is.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

const mapFile = process.argv[2];
if (!mapFile) {
  console.error('usage: node scripts/symbolicate.mjs <index.js.map> < stack.txt');
  process.exit(2);
}
const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
const input = readFileSync(0, 'utf8');
// Stack positions are 1-based; SourceMap.findEntry takes and returns 0-based offsets.
const output = input.replace(/(?:[^\s()]*\/)?index\.js:(\d+):(\d+)/g, (whole, line, column) => {
  const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
  if (!entry || entry.originalSource === undefined) return whole;
  const source = entry.originalSource.replace(/^(\.\.\/)+/, '');
  return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
});
process.stdout.write(output);
