/**
 * Browser test of the built site (the package's `test` script). Serves dist/ on localhost with a tiny Node static
 * server, drives Debian's Chromium with playwright-core (no browser download) and, for every panel, interacts
 * (click, slide, type), then recomputes the panel's output in Node with the same packages on the input the page
 * recorded and requires equality to 1e-9 relative. Also: no console or page error, no main-thread long task
 * > 200 ms while a fit runs, Cancel stops a running fit within 200 ms. Screenshots go to out/run/ (git-ignored;
 * UPDATE_SCREENSHOTS=1 also refreshes the committed out/web-*.png that the README shows); the figures to
 * out/browser-test.json; the counts to test-results.json (vitest's JSON shape, summed by `pnpm test`).
 * Without a Chromium at $CHROMIUM_PATH or /usr/bin/chromium the test is skipped (0 passed) with a message.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { computations, type PanelId } from '../src/compute';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(web, '..', '..');
const dist = join(web, 'dist');
const outDir = join(web, 'out');
/** Screenshots of the latest run (git-ignored, like all of out/ except the README's out/web-top.png). */
const runDir = join(outDir, 'run');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TOL = 1e-9;
const LONG_TASK_MS = 200;
const CANCEL_MS = 200;

interface Assertion {
  title: string;
  status: 'passed' | 'failed';
  failureMessages: string[];
}
const assertions: Assertion[] = [];
const figures: Record<string, unknown> = {};

function writeResults(extra: Record<string, unknown> = {}) {
  const passed = assertions.filter((a) => a.status === 'passed').length;
  const failed = assertions.length - passed;
  writeFileSync(
    join(web, 'test-results.json'),
    `${JSON.stringify(
      {
        numPassedTests: passed,
        numFailedTests: failed,
        numTotalTests: assertions.length,
        success: failed === 0,
        ...extra,
        testResults: [{ name: 'test/browser.test.ts', status: failed === 0 ? 'passed' : 'failed', assertionResults: assertions }],
      },
      null,
      2,
    )}\n`,
  );
}

if (!existsSync(executablePath)) {
  console.log(`web browser test: SKIPPED — no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH); 0 tests run`);
  writeFileSync(join(web, 'test-results.json'), `${JSON.stringify({ numPassedTests: 0, numFailedTests: 0, numPendingTests: 1, skipped: `no Chromium at ${executablePath}`, testResults: [] }, null, 2)}\n`);
  process.exit(0);
}

async function check(title: string, fn: () => Promise<void> | void) {
  const t0 = performance.now();
  try {
    await fn();
    assertions.push({ title, status: 'passed', failureMessages: [] });
    console.log(`  ✓ ${title} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
    assertions.push({ title, status: 'failed', failureMessages: [msg] });
    console.log(`  ✗ ${title}\n    ${msg.split('\n').slice(0, 4).join('\n    ')}`);
  }
}
function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

// ------------------------------------------------------------------ deep numeric comparison

/** Fields not compared: wall-clock timings. */
const IGNORED = new Set(['directMs', 'fftMs', 'ms']);
/**
 * Residuals are compared relative to the scale they measure, not to their own rounding-level size: Sinkhorn's
 * `marginalError` to the total mass 1; `relativeDifference` (FFT vs direct, autodiff vs formula; already relative) to 1.
 */
const SCALE: Record<string, number> = { marginalError: 1, relativeDifference: 1 };
/** The largest relative difference between two JSON values and where it is. */
interface Worst {
  d: number;
  path: string;
  a?: number;
  b?: number;
}
/**
 * Numbers: |a−b| / max(|a|, |b|, scale), where scale is the largest |value| of the enclosing array (so arrays are
 * compared normwise, ‖a−b‖∞ / ‖b‖∞, and a near-zero entry of a curve is judged against the curve) or a residual's
 * reference scale ({@link SCALE}). Throws on a structural, string or integer-label mismatch.
 */
function compare(a: unknown, b: unknown, path: string, scale = 0): Worst {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return { d: 0, path };
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`${path}: ${a} vs ${b}`);
    return { d: Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), scale, 1e-300), path, a, b };
  }
  const pick = (w: Worst, v: Worst) => (v.d > w.d ? v : w);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) throw new Error(`${path}: length ${a.length} (browser) vs ${b.length} (Node)`);
    const s = Math.max(scale, a.reduce((m: number, v) => (typeof v === 'number' ? Math.max(m, Math.abs(v)) : m), 0));
    let worst: Worst = { d: 0, path };
    for (let i = 0; i < a.length; i++) worst = pick(worst, compare(a[i], b[i], `${path}[${i}]`, s));
    return worst;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).filter((k) => !IGNORED.has(k)).sort();
    const kb = Object.keys(b).filter((k) => !IGNORED.has(k)).sort();
    if (ka.join() !== kb.join()) throw new Error(`${path}: keys ${ka.join()} vs ${kb.join()}`);
    let worst: Worst = { d: 0, path };
    for (const k of ka) worst = pick(worst, compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, SCALE[k] ?? 0));
    return worst;
  }
  if (a !== b) throw new Error(`${path}: ${JSON.stringify(a)} (browser) vs ${JSON.stringify(b)} (Node)`);
  return { d: 0, path };
}

// ------------------------------------------------------------------ static server

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
function serve(dir: string) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    const file = join(dir, rel === '' ? 'index.html' : rel);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res
        .writeHead(200, {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          // as vite preview: cross-origin isolation for the shared cancel flag
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
        })
        .end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise<{ url: string; close: () => void }>((ok) => {
    server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() }));
  });
}

// ------------------------------------------------------------------ page helpers

type Result = { input: unknown; output: unknown; ms: number };
const runs = (page: Page, id: PanelId) => page.evaluate((p) => Number(document.getElementById(`panel-${p}`)?.dataset.runs ?? '0'), id);
async function waitForRun(page: Page, id: PanelId, before: number) {
  await page.waitForFunction(
    ([p, n]) => {
      const s = document.getElementById(`panel-${p}`);
      return Number(s?.dataset.runs ?? '0') > (n as number) && s?.dataset.busy === 'false';
    },
    [id, before] as const,
    { timeout: 180_000, polling: 100 },
  );
  return (await page.evaluate((p) => (window as unknown as { __web: { results: Record<string, Result> } }).__web.results[p], id)) as Result;
}
const tagger = async () => JSON.parse(await readFile(join(root, 'packages', 'crf', 'exports', 'brown-crf-tagger.json'), 'utf8'));
// the VAE digits: the very file the page fetched (derived at build time by scripts/prepare-assets.mjs)
const digits = async () => JSON.parse(await readFile(join(dist, 'data', 'digits-14.json'), 'utf8'));
const diffs: Record<string, Worst> = {};
/**
 * Every panel is compared at 1e-9. Bayesian optimisation meets it only because its computation runs with the
 * portable exp/log/log10/sin/cos of src/portable-math.ts in both the worker and here: with the engines' own
 * Math functions (which differ by an ulp in ~5–10 % of arguments between Chromium's V8 and Node 20's) its
 * multi-start L-BFGS acquisition search turned those ulps into a 2.6e-5 relative difference after 6 steps.
 */
async function nodeMatches(id: PanelId, r: Result, label: string) {
  const tol = TOL;
  const run = computations[id] as (input: unknown, ctx: unknown) => Promise<unknown>;
  // retried on ERR_MODULE_NOT_FOUND: another developer's build may be rewriting a package's dist/ right now
  let node: unknown;
  for (let attempt = 1; ; attempt++) {
    try {
      node = JSON.parse(JSON.stringify(await run(r.input, { signal: new AbortController().signal, progress: () => {}, loadTagger: tagger, loadDigits: digits })));
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND' || attempt >= 8) throw e;
      await new Promise((ok) => setTimeout(ok, 10_000));
    }
  }
  const w = compare(r.output, node, id);
  if (!diffs[label] || w.d >= diffs[label].d) diffs[label] = w;
  assert(w.d <= tol, `${label}: browser vs Node relative difference ${w.d.toExponential(2)} > ${tol} at ${w.path} (${w.a} vs ${w.b})`);
}

// ------------------------------------------------------------------ the test

if (!existsSync(join(dist, 'index.html'))) {
  console.log('web browser test: dist/ missing, building the site first');
  const b = spawnSync('pnpm', ['run', 'build'], { cwd: web, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('build failed');
}
mkdirSync(runDir, { recursive: true });
// load the packages for the Node side now (retrying: in a shared tree a package's dist/ may be mid-rebuild)
for (const name of ['@notes/gp', '@notes/gan', '@notes/bayes', '@notes/crf', '@notes/hyena', '@notes/latent', '@notes/core-linalg']) {
  for (let attempt = 1; ; attempt++) {
    try {
      await import(name);
      break;
    } catch (e) {
      if (attempt >= 6) throw e;
      await new Promise((ok) => setTimeout(ok, 10_000));
    }
  }
}
const server = await serve(dist);
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const consoleErrors: string[] = [];
const offsite: string[] = [];
console.log(`web browser test: ${server.url} in ${executablePath}`);
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  page.on('request', (req) => {
    if (!req.url().startsWith(server.url)) offsite.push(req.url());
  });
  // what the page fetched in each phase (load = until every classic panel's first run; then each neural panel)
  let phase = 'load';
  const fetched: { phase: string; path: string }[] = [];
  page.on('requestfinished', (req) => {
    if (req.url().startsWith(server.url)) fetched.push({ phase, path: new URL(req.url()).pathname });
  });
  page.on('worker', (w) => w.on('console', (m) => m.type() === 'error' && consoleErrors.push(`worker: ${m.text()}`)));
  await page.goto(server.url, { waitUntil: 'load' });

  const ids: PanelId[] = ['gp', 'ot', 'dpmm', 'tag', 'bo', 'conv', 'ssm', 'conjugate'];
  await check('every panel finishes its first run in the worker (tagging: once scrolled into view)', async () => {
    await page.waitForFunction(() => document.getElementById('panel-gp')?.dataset.runs === '1', undefined, { timeout: 240_000, polling: 200 });
    await page.locator('#panel-tag').scrollIntoViewIfNeeded();
    await page.waitForFunction((ps) => ps.every((p) => document.getElementById(`panel-${p}`)?.dataset.runs === '1'), ids, { timeout: 240_000, polling: 200 });
  });
  for (const id of ids) {
    await check(`${id}: first run equals Node to ${TOL}`, async () => {
      const r = await page.evaluate((p) => (window as unknown as { __web: { results: Record<string, Result> } }).__web.results[p], id);
      await nodeMatches(id, r as Result, id);
    });
  }
  phase = 'after load';
  await check('initial page (HTML, JS, CSS fetched until every classic panel has run once) ≤ 300 KiB gzip; no neural-panel code in it', () => {
    const gz = (path: string) => {
      const file = join(dist, decodeURIComponent(path).replace(/^\/+/, '') || 'index.html');
      return existsSync(file) && statSync(file).isFile() ? gzipSync(readFileSync(file), { level: 9 }).length : 0;
    };
    const code = [...new Set(fetched.filter((f) => f.phase === 'load' && /(\.js|\.css|\.html|\/)$/.test(f.path)).map((f) => f.path))];
    const bytes = code.reduce((s, f) => s + gz(f), 0);
    const data = [...new Set(fetched.filter((f) => f.phase === 'load' && f.path.endsWith('.json')).map((f) => f.path))];
    figures.initialPage = { gzipKiB: Number((bytes / 1024).toFixed(1)), files: code.length, dataFetched: data.map((f) => `${f} ${(gz(f) / 1024).toFixed(1)} KiB gzip`) };
    assert(bytes <= 300 * 1024, `initial page ${(bytes / 1024).toFixed(1)} KiB gzip`);
    assert(!code.some((f) => /neural-/.test(f)), `neural panel code fetched at load: ${code.join(', ')}`);
  });

  await check('gp: clicking the plot adds points; choosing Matérn refits; equals Node', async () => {
    const svg = page.locator('#panel-gp svg.plot');
    let before = await runs(page, 'gp');
    await svg.click({ position: { x: 300, y: 120 } });
    await waitForRun(page, 'gp', before);
    before = await runs(page, 'gp');
    await svg.click({ position: { x: 360, y: 220 } });
    let r = await waitForRun(page, 'gp', before);
    assert((r.input as { points: unknown[] }).points.length === 9, 'two clicks should give 9 points');
    await nodeMatches('gp', r, 'gp');
    before = await runs(page, 'gp');
    await page.selectOption('#panel-gp select[name=kernel]', 'matern52');
    r = await waitForRun(page, 'gp', before);
    assert((r.input as { kernel: string }).kernel === 'matern52', 'kernel should be matern52');
    await nodeMatches('gp', r, 'gp');
  });

  await check('ot: sliding ε re-solves; equals Node', async () => {
    const before = await runs(page, 'ot');
    await page.focus('#panel-ot input[name=reg]');
    await page.keyboard.press('ArrowRight');
    const r = await waitForRun(page, 'ot', before);
    assert(Math.abs((r.input as { regFraction: number }).regFraction - Number((10 ** -1.2).toPrecision(3))) < 1e-12, `regFraction ${(r.input as { regFraction: number }).regFraction}`);
    await nodeMatches('ot', r, 'ot');
  });

  await check('dpmm: sliding α reruns the sampler; equals Node', async () => {
    const before = await runs(page, 'dpmm');
    await page.focus('#panel-dpmm input[name=alpha]');
    await page.keyboard.press('ArrowRight');
    const r = await waitForRun(page, 'dpmm', before);
    await nodeMatches('dpmm', r, 'dpmm');
  });

  await check('tag: typing a sentence tags it; equals Node', async () => {
    const before = await runs(page, 'tag');
    await page.fill('#panel-tag input[name=sentence]', '');
    await page.type('#panel-tag input[name=sentence]', 'She reads the notes on a train to Boston.', { delay: 5 });
    await page.waitForFunction(
      (n) => Number(document.getElementById('panel-tag')?.dataset.runs ?? '0') > n && document.getElementById('panel-tag')?.dataset.busy === 'false' && (window as unknown as { __web: { results: { tag: { input: { sentence: string } } } } }).__web.results.tag.input.sentence.endsWith('Boston.'),
      before,
      { timeout: 120_000, polling: 100 },
    );
    const r = (await page.evaluate(() => (window as unknown as { __web: { results: Record<string, Result> } }).__web.results.tag)) as Result;
    const tags = (r.output as { tags: string[] }).tags;
    figures.taggedSentence = (r.output as { tokens: string[] }).tokens.map((t, i) => `${t}/${tags[i]}`).join(' ');
    await nodeMatches('tag', r, 'tag');
  });

  await check('bo: 6 evaluations with PI step by step; equals Node to 1e-9', async () => {
    await page.fill('#panel-bo input[name=steps]', '6');
    const before = await runs(page, 'bo');
    await page.selectOption('#panel-bo select[name=acquisition]', 'pi');
    const r = await waitForRun(page, 'bo', before);
    assert((r.input as { steps: number }).steps === 6, 'steps');
    await nodeMatches('bo', r, 'bo');
  });

  await check('conv: a longer signal; direct = FFT to 1e-9 and equals Node', async () => {
    const before = await runs(page, 'conv');
    await page.selectOption('#panel-conv select[name=length]', '16384');
    const r = await waitForRun(page, 'conv', before);
    const o = r.output as { relativeDifference: number; directMs: number; fftMs: number };
    assert(o.relativeDifference < 1e-9, `direct vs FFT ${o.relativeDifference}`);
    figures.conv16384 = { directMs: o.directMs, fftMs: o.fftMs, relativeDifference: o.relativeDifference };
    await nodeMatches('conv', r, 'conv');
  });

  await check('ssm: sliding the state size recomputes; autodiff profile = formula to 1e-10 of max |h|; equals Node', async () => {
    const before = await runs(page, 'ssm');
    await page.focus('#panel-ssm input[name=stateSize]');
    await page.keyboard.press('ArrowRight');
    const r = await waitForRun(page, 'ssm', before);
    assert((r.input as { stateSize: number }).stateSize === 9, `state size ${(r.input as { stateSize: number }).stateSize}`);
    for (const sys of (r.output as { systems: { name: string; relativeDifference: number }[] }).systems)
      assert(sys.relativeDifference <= 1e-10, `${sys.name}: |autodiff − formula| / max |h| = ${sys.relativeDifference}`);
    await nodeMatches('ssm', r, 'ssm');
  });

  await check('conjugate: typing flips updates the posterior; equals Node', async () => {
    await page.click('#panel-conjugate input[name=flips]');
    await page.keyboard.press('End');
    const before = await runs(page, 'conjugate');
    await page.keyboard.type('TTH', { delay: 20 });
    await page.waitForFunction(
      (n) => Number(document.getElementById('panel-conjugate')?.dataset.runs ?? '0') >= n + 1 && document.getElementById('panel-conjugate')?.dataset.busy === 'false' && (window as unknown as { __web: { results: { conjugate: { input: { flips: string } } } } }).__web.results.conjugate.input.flips === 'HHTHHHTHTTH',
      before,
      { timeout: 60_000, polling: 100 },
    );
    const r = (await page.evaluate(() => (window as unknown as { __web: { results: Record<string, Result> } }).__web.results.conjugate)) as Result;
    const p = (r.output as { params: { alpha: number; beta: number } }).params;
    assert(p.alpha === 2 + 7 && p.beta === 2 + 4, `posterior Beta(${p.alpha}, ${p.beta}) should be Beta(9, 6)`);
    await nodeMatches('conjugate', r, 'conjugate');
  });

  /** Scrolls a lazily loaded panel into view and waits for its controls (its code arrives then). */
  const mountLazy = async (id: PanelId) => {
    phase = id;
    await page.locator(`#panel-${id}`).scrollIntoViewIfNeeded();
    await page.waitForSelector(`#panel-${id} button[name=train]`, { timeout: 60_000 });
  };

  await check('gan: Train runs trainGANAsync (60 steps, frames at 20 and 40) in the worker; frames are the start of the run; equals Node to 1e-9', async () => {
    await mountLazy('gan');
    await page.fill('#panel-gan input[name=steps]', '60');
    const before = await runs(page, 'gan');
    await page.click('#panel-gan button[name=train]');
    const r = await waitForRun(page, 'gan', before);
    const o = r.output as { steps: number; criticLoss: number[]; frames: { steps: number }[]; framesArePrefixes: boolean };
    assert(o.steps === 60 && o.criticLoss.length === 30, `steps ${o.steps}, ${o.criticLoss.length} progress records`);
    assert(o.frames.map((f) => f.steps).join() === '20,40', `frames at ${o.frames.map((f) => f.steps).join()}`);
    assert(o.framesArePrefixes, 'a frame run is not the start of the final run');
    await nodeMatches('gan', r, 'gan');
  });

  await check('flow: Train runs fitRealNVPAsync (8 epochs) in the worker; equals Node to 1e-9', async () => {
    await mountLazy('flow');
    await page.fill('#panel-flow input[name=epochs]', '8');
    const before = await runs(page, 'flow');
    await page.click('#panel-flow button[name=train]');
    const r = await waitForRun(page, 'flow', before);
    const o = r.output as { epochs: number; nll: number[] };
    assert(o.epochs === 8 && o.nll.length === 8, `epochs ${o.epochs}, ${o.nll.length} NLL values`);
    await nodeMatches('flow', r, 'flow');
  });

  await check('vae: Train runs fitVAEAsync (6 epochs on 200 digits) in the worker; −ELBO falls; equals Node to 1e-9', async () => {
    await mountLazy('vae');
    await page.fill('#panel-vae input[name=epochs]', '6');
    await page.selectOption('#panel-vae select[name=n]', '200');
    const before = await runs(page, 'vae');
    await page.click('#panel-vae button[name=train]');
    const r = await waitForRun(page, 'vae', before);
    const o = r.output as { epochs: number; objective: number[]; decoded: number[][]; grid: number };
    assert(o.epochs === 6 && o.objective.length === 6, `epochs ${o.epochs}, ${o.objective.length} values`);
    assert(o.objective[5]! < o.objective[0]!, `−ELBO ${o.objective[0]} → ${o.objective[5]}`);
    assert(o.decoded.length === o.grid * o.grid && o.decoded[0]!.length === 196, 'decoded grid shape');
    await nodeMatches('vae', r, 'vae');
  });

  await check('recall: Train runs fitSequenceModelAsync (20 steps, width 16) in the worker; equals Node to 1e-9', async () => {
    await mountLazy('recall');
    await page.fill('#panel-recall input[name=count]', '160');
    await page.fill('#panel-recall input[name=epochs]', '1');
    await page.selectOption('#panel-recall select[name=width]', '16');
    const before = await runs(page, 'recall');
    await page.click('#panel-recall button[name=train]');
    const r = await waitForRun(page, 'recall', before);
    const o = r.output as { steps: number; profile: number[]; accuracy: number };
    assert(o.steps === 20 && o.profile.length === 12, `steps ${o.steps}, profile of ${o.profile.length} lags`);
    await nodeMatches('recall', r, 'recall');
  });
  phase = 'after neural panels';
  figures.neuralPanelFetches = Object.fromEntries(
    ['gan', 'flow', 'vae', 'recall'].map((p) => [p, [...new Set(fetched.filter((f) => f.phase === p).map((f) => f.path))]]),
  );

  // screenshots after the interactions, before the cancel checks leave panels in their cancelled state
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(runDir, 'web-top.png') });
  await page.screenshot({ path: join(runDir, 'web-full.png'), fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    // the README's panel screenshots show the default budgets (the checks above use smaller ones)
    for (const [id, defaults] of [
      ['gan', [['input[name=steps]', '150']]],
      ['vae', [['input[name=epochs]', '20'], ['select[name=n]', '600']]],
      ['recall', [['input[name=count]', '400'], ['input[name=epochs]', '2'], ['select[name=width]', '32']]],
    ] as const) {
      for (const [sel, v] of defaults) {
        if (sel.startsWith('select')) await page.selectOption(`#panel-${id} ${sel}`, v);
        else await page.fill(`#panel-${id} ${sel}`, v);
      }
      const before = await runs(page, id);
      await page.click(`#panel-${id} button[name=train]`);
      await waitForRun(page, id, before);
    }
  }
  for (const id of ['gan', 'vae', 'recall']) await page.locator(`#panel-${id}`).screenshot({ path: join(runDir, `web-${id}.png`) });
  // the README's screenshots (committed) change only on request, so a test run leaves the git tree clean
  if (process.env.UPDATE_SCREENSHOTS === '1') for (const f of ['web-top.png', 'web-vae.png', 'web-recall.png', 'web-gan.png']) copyFileSync(join(runDir, f), join(outDir, f));

  const cancelLatency: Record<string, number> = {};
  const cancelAttempts: Record<string, number[]> = {};
  for (const [id, setup] of [
    ['dpmm', async () => page.fill('#panel-dpmm input[name=sweeps]', '5000')],
    // 1,000 restarts (the input's maximum): since the GP fit's per-evaluation speed-up (issue 20) a 400-restart fit
    // on the panel's points could end before Cancel was clicked in a loaded full `pnpm test`
    ['gp', async () => page.fill('#panel-gp input[name=restarts]', '1000')],
    ['vae', async () => page.fill('#panel-vae input[name=epochs]', '500')],
    ['recall', async () => page.fill('#panel-recall input[name=count]', '4000')],
  ] as const) {
    await check(`${id}: Cancel stops a running fit within ${CANCEL_MS} ms`, async () => {
      // Up to 3 attempts: on a busy 2-core machine (CI may run another CPU-bound job) the scheduler alone can
      // delay one cancel past the bound; every attempt's latency is recorded, the best must meet it.
      const attempts: number[] = [];
      for (let attempt = 0; attempt < 3 && !(attempts.length > 0 && Math.min(...attempts) <= CANCEL_MS); attempt++) {
        await setup();
        const n = await page.evaluate(() => (window as unknown as { __web: { cancels: unknown[] } }).__web.cancels.length);
        const progressed = await page.evaluate((p) => Number(document.getElementById(`panel-${p}`)?.dataset.progress ?? '0'), id);
        await page.click(`#panel-${id} button[name=${id === 'gp' ? 'fit' : id === 'dpmm' ? 'run' : 'train'}]`);
        // cancel once the worker has reported progress of this run (the fit is under way)
        await page.waitForFunction(([p, k]) => Number(document.getElementById(`panel-${p}`)?.dataset.progress ?? '0') > (k as number) + 2, [id, progressed] as const, { timeout: 60_000, polling: 20 });
        const busy = await page.evaluate((p) => document.getElementById(`panel-${p}`)?.dataset.busy, id);
        assert(busy === 'true', `${id} fit already finished before Cancel (busy=${busy})`);
        await page.click(`#panel-${id} button.cancel`);
        await page.waitForFunction((p) => document.getElementById(`panel-${p}`)?.dataset.busy === 'false', id, { timeout: 60_000, polling: 20 });
        const got = await page.evaluate((k) => (window as unknown as { __web: { cancels: unknown[] } }).__web.cancels.length > k, n);
        assert(got, `${id}: the run ended without being cancelled (status: ${await page.textContent(`#panel-${id} .status`)})`);
        const c = await page.evaluate(() => {
          const cs = (window as unknown as { __web: { cancels: { latencyMs: number }[] } }).__web.cancels;
          return cs[cs.length - 1]!.latencyMs;
        });
        attempts.push(c);
      }
      cancelLatency[id] = Math.min(...attempts);
      cancelAttempts[id] = attempts;
      assert(cancelLatency[id]! <= CANCEL_MS, `${id}: cancel took ${attempts.map((a) => a.toFixed(1)).join(', ')} ms in ${attempts.length} attempts`);
    });
  }
  figures.cancelLatencyMs = cancelLatency;
  figures.cancelAttemptsMs = cancelAttempts;
  figures.crossOriginIsolated = await page.evaluate(() => crossOriginIsolated);


  const state = (await page.evaluate(() => (window as unknown as { __web: unknown }).__web)) as {
    longTasks: { start: number; duration: number; duringFit: boolean }[];
    errors: string[];
    runs: number;
    events: { panel: string; type: string; start: number; end: number }[];
  };
  const during = state.longTasks.filter((t) => t.duringFit).map((t) => t.duration);
  // what the main thread was doing in each long task (worker messages it handled then), for the report
  figures.longTaskAttribution = state.longTasks.map((t) => ({
    start: Math.round(t.start),
    duration: Math.round(t.duration),
    messages: state.events.filter((e) => e.start >= t.start - 1 && e.start <= t.start + t.duration).map((e) => `${e.panel}:${e.type} ${(e.end - e.start).toFixed(0)} ms`),
  }));
  figures.longTasks = { count: state.longTasks.length, duringFits: during.length, longestMs: Math.max(0, ...state.longTasks.map((t) => t.duration)), longestDuringFitMs: Math.max(0, ...during) };
  figures.runs = state.runs;
  await check(`no main-thread long task > ${LONG_TASK_MS} ms while a fit runs`, () => {
    const worst = Math.max(0, ...during);
    assert(worst <= LONG_TASK_MS, `longest main-thread task during a fit: ${worst.toFixed(0)} ms`);
  });
  await check('no console error, page error or worker error; no request off localhost', () => {
    assert(consoleErrors.length === 0 && state.errors.length === 0, `errors: ${[...consoleErrors, ...state.errors].join(' | ')}`);
    assert(offsite.length === 0, `off-site requests: ${offsite.join(', ')}`);
  });

  await check('notes link opens the notes text at the section line', async () => {
    const viewer = await context.newPage();
    viewer.on('console', (m) => m.type() === 'error' && consoleErrors.push(`viewer: ${m.text()}`));
    const href = await page.getAttribute('#panel-gp a.notes-link', 'href');
    await viewer.goto(new URL(href as string, server.url).href, { waitUntil: 'load' });
    await viewer.waitForSelector('#L773.hit', { timeout: 30_000 });
    const text = await viewer.textContent('#L773');
    assert(text?.includes('GP Regression'), `line 773 is ${text}`);
    const code = await page.getAttribute('#panel-gp a.code-link', 'href');
    await viewer.goto(new URL(code as string, server.url).href, { waitUntil: 'load' });
    await viewer.waitForSelector('#L1', { timeout: 30_000 });
    await viewer.close();
  });
} finally {
  await browser.close();
  server.close();
}
figures.browserVsNodeMaxRelativeDifference = diffs;
writeFileSync(join(outDir, 'browser-test.json'), `${JSON.stringify(figures, null, 2)}\n`);
writeResults();
const failed = assertions.filter((a) => a.status === 'failed').length;
console.log(`web browser test: ${assertions.length - failed} passed, ${failed} failed; figures in out/browser-test.json`);
console.log(JSON.stringify(figures, null, 2));
process.exit(failed === 0 ? 0 : 1);
