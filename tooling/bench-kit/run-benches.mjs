#!/usr/bin/env node
// Runs every bench/*.bench.ts of the current package, one after another, each in its own process.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const files = existsSync('bench') ? readdirSync('bench').filter((f) => f.endsWith('.bench.ts')).sort() : [];
if (files.length === 0) console.log('no benchmarks in this package');
let failed = 0;
for (const f of files) {
  console.log(`\n# bench/${f}`);
  const r = spawnSync('node', ['--expose-gc', '--import', 'tsx', `bench/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
