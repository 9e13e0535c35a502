#!/usr/bin/env node
// The project's test command: build, typecheck and lint every workspace package through turbo, then test
// them (at most two suites at a time), then sum vitest's JSON reports (one test-results.json per package) into one line:
//   "N passed, N failed"
// Exits non-zero when turbo fails, when any test fails, or when no test ran at all.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const summaryOnly = process.argv.includes('--summary-only');

/** Workspace package folders that declare a `test` script. */
function testedPackages() {
  const out = [];
  for (const group of ['packages', 'apps', 'tooling']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const manifest = join(dir, name, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      if (pkg.scripts?.test) out.push(join(dir, name));
    }
  }
  return out;
}

const packages = testedPackages();
let turboStatus = 0;
if (!summaryOnly) {
  for (const dir of packages) rmSync(join(dir, 'test-results.json'), { force: true });
  // Two phases so the test run holds on a busy 2-core machine: build, typecheck and lint first (turbo's
  // default parallelism), then the test suites at most 2 at a time (each vitest run has its
  // own workers; eight suites at once starved each other past their timeouts). NOTES_TEST_CONCURRENCY
  // overrides it.
  const concurrency = process.env.NOTES_TEST_CONCURRENCY ?? '2';
  const turboBin = join(root, 'node_modules', '.bin', 'turbo');
  const prepare = spawnSync(turboBin, ['run', 'build', 'typecheck', 'lint', '--continue'], { cwd: root, stdio: 'inherit' });
  const turbo = spawnSync(turboBin, ['run', 'test', '--continue', `--concurrency=${concurrency}`], { cwd: root, stdio: 'inherit' });
  turboStatus = (prepare.status ?? 1) || (turbo.status ?? 1);
}

let passed = 0;
let failed = 0;
let missing = 0;
for (const dir of packages) {
  const file = join(dir, 'test-results.json');
  if (!existsSync(file)) {
    console.error(`test summary: no test-results.json in ${relative(root, dir)} (its tests did not run)`);
    missing += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // Name every failed test, so a failure is visible in the last lines of a CI log.
  for (const r of report.testResults ?? []) {
    for (const a of r.assertionResults ?? []) {
      if (a.status === 'failed') console.error(`failed: ${relative(root, dir)}: ${a.fullName ?? a.title}`);
    }
    if (r.status === 'failed' && (r.assertionResults ?? []).length === 0) console.error(`failed: ${relative(root, dir)}: test file ${relative(root, r.name ?? '?')}`);
  }
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  // Failed test files (e.g. a syntax error) count as failures even when no test inside them ran.
  const brokenFiles = (report.testResults ?? []).filter(
    (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
  ).length;
  failed += brokenFiles;
}
// A build, typecheck or lint failure is not a test failure but still fails the command: say so above the summary.
if (turboStatus !== 0) console.error('failed: turbo (build, typecheck, lint or a test task exited non-zero; see its output above)');
console.log(`${passed} passed, ${failed} failed`);
process.exit(turboStatus !== 0 || failed > 0 || missing > 0 || passed === 0 ? 1 : 0);
