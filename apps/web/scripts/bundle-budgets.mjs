// Bundle budgets (issue 22), measured after every `vite build` and printed with "met: yes" or "met: no" for each.
// Enforced: since core's CholeskyFactor stopped returning ml-matrix objects every budget is met, so the script exits
// with code 1 (failing `pnpm web` and the CI build) when one is exceeded or could not be measured. Writes
// out/bundle-budgets.json either way.
// Usage: node scripts/bundle-budgets.mjs [site dir]   (default: apps/web/dist; the single imports below are
// bundled from the packages' built dist/, so build the packages first: `pnpm --filter @notes/gp... build`).
//   1. initial page: index.html + the JS/CSS it loads before any interaction (the entry chunk and its static
//      imports; the workers and the chunks they import load in parallel, reported separately), gzip level 9;
//   2. `import { fitGP } from '@notes/gp'` bundled alone with esbuild (ESM, minified, browser), gzip;
//   3. `import { cholesky } from '@notes/core-linalg'` alone, the same way.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.argv[2] ? resolve(process.argv[2]) : join(web, 'dist');
const KiB = 1024;
const gz = (buf) => gzipSync(buf, { level: 9 }).length;

// 1. the initial page: follow index.html's script/link tags and the entry's static imports
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const seen = new Set();
const queue = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]);
while (queue.length) {
  const f = queue.shift();
  if (seen.has(f)) continue;
  seen.add(f);
  if (!f.endsWith('.js')) continue;
  const code = readFileSync(join(dist, f), 'utf8');
  // static imports only (`import … from "./x.js"`, `import "./x.js"`); dynamic import() and workers load later
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+)["']/g)) queue.push(`assets/${m[1]}`);
}
let initialRaw = Buffer.byteLength(html);
let initialGz = gz(Buffer.from(html));
for (const f of seen) {
  const b = readFileSync(join(dist, f));
  initialRaw += b.length;
  initialGz += gz(b);
}
// every panel runs once at load, so the page fetches all of assets/ (the workers and their package chunks) at once
let allJsGz = 0;
const assets = readdirSync(join(dist, 'assets'));
for (const f of assets) if ((f.endsWith('.js') || f.endsWith('.css')) && !f.startsWith('view-')) allJsGz += gz(readFileSync(join(dist, 'assets', f)));
const onLoadGz = allJsGz + gz(Buffer.from(html));
const taggerGz = gz(readFileSync(join(dist, 'models', 'brown-crf-tagger.json')));
const workerFiles = assets.filter((f) => f.startsWith('worker-'));

// 2–3. single imports bundled alone (retried: a package's dist/ may be mid-rebuild in a shared tree)
async function alone(code) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bundleAlone(code);
    } catch (e) {
      if (attempt >= 3) return { error: String(e.message ?? e).split('\n').slice(0, 2).join(' ') };
      await new Promise((ok) => setTimeout(ok, 15_000));
    }
  }
}
async function bundleAlone(code, external = []) {
  const r = await build({
    external,
    stdin: { contents: code, resolveDir: web, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const out = r.outputFiles[0].contents;
  // minified bytes by origin: npm package (ml-matrix, @stdlib/*) or the @notes package's own dist
  const by = new Map();
  for (const [file, info] of Object.entries(Object.values(r.metafile.outputs)[0].inputs)) {
    const m = file.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
    const key = m ? (m[1].startsWith('@stdlib/') ? '@stdlib/* (all)' : m[1]) : file.replace(/^.*packages\/([^/]+)\/.*$/, '@notes/$1 (own code)');
    by.set(key, (by.get(key) ?? 0) + info.bytesInOutput);
  }
  const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${(v / KiB).toFixed(1)} KiB`);
  return { minified: out.length, gzip: gz(out), top };
}
const fitGP = await alone("import { fitGP } from '@notes/gp'; globalThis.__keep = fitGP;");
const cholesky = await alone("import { cholesky } from '@notes/core-linalg'; globalThis.__keep = cholesky;");

const single = (name, r, limit) =>
  r.error ? { budget: name, bytes: Number.NaN, limit, detail: `not measured: ${r.error}` } : { budget: name, bytes: r.gzip, limit, detail: `${(r.minified / KiB).toFixed(1)} KiB minified; largest parts (minified): ${r.top.join(', ')}` };
const rows = [
  {
    budget: 'initial page (HTML + all JS/CSS fetched on load, workers included), gzip',
    bytes: onLoadGz,
    limit: 300 * KiB,
    detail: `entry alone ${(initialGz / KiB).toFixed(1)} KiB in ${seen.size} files (${(initialRaw / KiB).toFixed(1)} KiB raw); plus the CRF tagger JSON ${(taggerGz / KiB).toFixed(1)} KiB gzip, data fetched by the tagging panel`,
  },
  single("import { fitGP } from '@notes/gp' alone, gzip", fitGP, 60 * KiB),
  single("import { cholesky } from '@notes/core-linalg' alone, gzip", cholesky, 15 * KiB),
];
console.log('bundle budgets (esbuild/vite output, gzip -9):');
const met = (r) => (Number.isNaN(r.bytes) ? 'not measured' : r.bytes <= r.limit ? 'yes' : 'no');
for (const r of rows) console.log(`  met: ${met(r).padEnd(3)}  ${r.budget}: ${(r.bytes / KiB).toFixed(1)} KiB (budget ${r.limit / KiB} KiB; ${r.detail})`);
// what the packages would weigh without their two big dependencies (what a package-side change could reach)
for (const [name, code] of [
  ['fitGP', "import { fitGP } from '@notes/gp'; globalThis.__keep = fitGP;"],
  ['cholesky', "import { cholesky } from '@notes/core-linalg'; globalThis.__keep = cholesky;"],
]) {
  try {
    const r = await bundleAlone(code, ['ml-matrix', '@stdlib/*']);
    console.log(`  (info) ${name} alone with ml-matrix and @stdlib/* left out: ${(r.gzip / KiB).toFixed(1)} KiB gzip (${(r.minified / KiB).toFixed(1)} KiB minified)`);
  } catch (e) {
    console.log(`  (info) ${name} without ml-matrix/@stdlib: not measured (${String(e.message ?? e).split('\n')[0]})`);
  }
}
console.log(`  (info) worker entry ${workerFiles.join(', ')}: ${workerFiles.map((f) => (statSync(join(dist, 'assets', f)).size / KiB).toFixed(1)).join(', ')} KiB raw`);
mkdirSync(join(web, 'out'), { recursive: true });
writeFileSync(
  join(web, 'out', 'bundle-budgets.json'),
  `${JSON.stringify({ rows: rows.map((r) => ({ ...r, kib: Number((r.bytes / KiB).toFixed(1)), met: Number.isNaN(r.bytes) ? null : r.bytes <= r.limit })), entryGzipKiB: Number((initialGz / KiB).toFixed(1)), taggerGzipKiB: Number((taggerGz / KiB).toFixed(1)), initialFiles: [...seen] }, null, 2)}\n`,
);
const failed = rows.filter((r) => met(r) !== 'yes');
if (failed.length > 0) {
  for (const r of failed) console.error(met(r) === 'no' ? `bundle budget exceeded: ${r.budget}: ${(r.bytes / KiB).toFixed(1)} KiB > ${r.limit / KiB} KiB` : `bundle budget not measured: ${r.budget} (${r.detail})`);
  process.exitCode = 1;
} else {
  console.log('  all bundle budgets met');
}
