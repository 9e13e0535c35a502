#!/usr/bin/env node
// Consumer check: pack every publishable package, lint the tarball (publint, are-the-types-wrong),
// install all tarballs into a blank project outside the workspace, then import each package from ESM
// and from CJS and call one function. Exits non-zero on the first failure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const bin = (name) => join(root, 'node_modules', '.bin', name);
// pnpm as the caller ran it (`pnpm run consumer-check` sets npm_execpath), else through npx.
const execpath = process.env.npm_execpath ?? '';
const pnpm = /pnpm/.test(execpath) ? [process.execPath, execpath] : ['npx', '-y', 'pnpm@10.34.8'];

/** One call per package that proves the entry point works; each prints a value. */
const SMOKE = {
  '@notes/core-linalg': 'm.logSumExp([0, 0]).toFixed(6)',
  '@notes/bayes': 'm.betaBernoulli({ alpha: 1, beta: 1 }).update([1, 0, 1]).mean().toFixed(6)',
  '@notes/crf': 'm.chainLogPartition([[0, 0], [0, 0]], [[0, 0], [0, 0]]).toFixed(6)',
  '@notes/gan': 'm.wasserstein1d([0, 1], [1, 2]).toFixed(6)',
  '@notes/gp': 'm.fitGP([[0], [1], [2]], [0, 1, 0], { optimize: false }).predict([[0.5]]).mean[0].toFixed(6)',
  '@notes/hyena': 'Array.from(m.causalFftConv([1, 2, 3], [1, 1]), (v) => v.toFixed(6)).join(" ")',
  '@notes/latent': 'm.fitPCA([[0, 0], [1, 1], [2, 2.5]], { components: 1 }).explainedVarianceRatio[0].toFixed(6)',
};

const publishable = readdirSync(join(root, 'packages'))
  .map((d) => join(root, 'packages', d))
  .filter((d) => existsSync(join(d, 'package.json')))
  .map((d) => ({ dir: d, pkg: JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private)
  // `--only <name>` checks one package (for local runs); CI checks all.
  .filter(({ pkg }) => !process.argv.includes('--only') || process.argv.includes(pkg.name));

const work = mkdtempSync(join(tmpdir(), 'notes-consumer-'));
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

try {
  const files = [];
  for (const { dir, pkg } of publishable) {
    const out = run(pnpm[0], [...pnpm.slice(1), 'pack', '--pack-destination', tarballs], dir).trim().split('\n').pop();
    const base = `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`;
    const tgz = out.endsWith('.tgz') ? resolve(dir, out) : join(tarballs, base);
    files.push({ name: pkg.name, tgz });
    run(bin('publint'), ['run', tgz, '--strict'], root);
    run(bin('attw'), [tgz, '--format', 'ascii', '--profile', 'node16'], root);
    console.log(`consumer-check: ${pkg.name} packed; publint and attw pass`);
  }
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '0.0.0' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files.map((f) => f.tgz)], app);
  for (const { name } of files) {
    const call = SMOKE[name] ?? 'Object.keys(m).length';
    const esm = run('node', ['--input-type=module', '-e', `import * as m from '${name}'; console.log(${call});`], app);
    const cjs = run('node', ['-e', `const m = require('${name}'); console.log(${call});`], app);
    if (esm.trim() !== cjs.trim() || esm.trim() === '' || esm.trim() === '0') {
      throw new Error(`consumer-check: ${name} ESM gave '${esm.trim()}', CJS gave '${cjs.trim()}'`);
    }
    console.log(`consumer-check: ${name} ESM and CJS import ok (${call} = ${esm.trim()})`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
