#!/usr/bin/env node
// Runs the default test suite: every test/**/*.test.ts through tsx with Node's built-in runner.
// Arguments narrow the run to files or folders: `npm test -- test/engine`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function collect(path, out) {
  const st = statSync(path);
  if (st.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    collect(join(path, name), out);
  }
  return out;
}

const targets = process.argv.slice(2);
const files = [];
for (const target of targets.length ? targets : ['test']) collect(join(root, target), files);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? String(Math.max(2, availableParallelism()));
const args = [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${concurrency}`,
  '--test-reporter=spec',
  ...files.map((f) => relative(root, f)),
];
const result = spawnSync(process.execPath, args, {
  cwd: root,
  stdio: 'inherit',
  env: { GWCELERY_CONFIG: 'test', ...process.env },
});
process.exit(result.status ?? 1);
