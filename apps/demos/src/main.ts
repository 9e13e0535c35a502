/**
 * The main job: finds every demo under src/demos, runs them in order with progress lines, and writes
 * out/report.html. `pnpm demo -- --only gp` runs the demos whose id starts with "gp".
 * Exits non-zero if any demo failed (the report still shows the others).
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Demo } from './demo.js';
import { renderNotesHtml } from './notes-index.js';
import { claimCounts, type DemoOutcome, renderReport } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const SEED = 20261125;

function demoFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...demoFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.startsWith('_')) out.push(path);
  }
  return out;
}

async function loadDemos(only: string | undefined): Promise<Demo[]> {
  const demos: Demo[] = [];
  const root = join(here, 'demos');
  // With --only, import just the topic folders that can match (so other packages need not be built).
  const topic = only?.split('/')[0] ?? '';
  for (const file of demoFiles(root).filter((f) => relative(root, f).startsWith(topic))) {
    const mod = (await import(pathToFileURL(file).href)) as { default?: Demo | Demo[] };
    if (!mod.default) throw new Error(`${relative(here, file)} has no default export`);
    demos.push(...(Array.isArray(mod.default) ? mod.default : [mod.default]));
  }
  return demos.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

async function main(): Promise<void> {
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
  const demos = (await loadDemos(only)).filter((d) => !only || d.id.startsWith(only));
  const outcomes: DemoOutcome[] = [];
  for (const [i, demo] of demos.entries()) {
    const tag = `[${i + 1}/${demos.length}] ${demo.id}`;
    console.log(`${tag}: ${demo.title} …`);
    const t0 = performance.now();
    try {
      const result = await demo.run({ seed: SEED, log: (m) => console.log(`  ${demo.id}: ${m}`) });
      const seconds = (performance.now() - t0) / 1000;
      outcomes.push({ demo, result, seconds });
      const shown = Object.entries(result.metrics)
        .slice(0, 4)
        .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : v}`)
        .join(', ');
      console.log(`${tag}: done in ${seconds.toFixed(1)} s (${shown})`);
    } catch (err) {
      const seconds = (performance.now() - t0) / 1000;
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      outcomes.push({ demo, error: message, seconds });
      console.error(`${tag}: FAILED after ${seconds.toFixed(1)} s\n${message}`);
    }
  }
  const outDir = join(here, '..', 'out');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'report.html');
  writeFileSync(file, await renderReport(outcomes, new Date().toISOString()));
  writeFileSync(join(outDir, 'notes.html'), renderNotesHtml());
  const claims = outcomes.map((o) => ({ id: o.demo.id, seconds: o.seconds, error: o.error ?? null, claims: o.result?.claims ?? [] }));
  writeFileSync(join(outDir, 'claims.json'), `${JSON.stringify(claims, null, 2)}\n`);
  const failed = outcomes.filter((o) => o.error).length;
  let held = 0;
  let total = 0;
  const failing: string[] = [];
  for (const o of outcomes) {
    const c = claimCounts(o);
    held += c.held;
    total += c.total;
    for (const cl of o.result?.claims ?? []) if (!cl.holds) failing.push(`${o.demo.id}: ${cl.statement} (measured ${String(cl.measured)}, expected ${cl.expected})`);
  }
  for (const f of failing) console.error(`claim FAILED ${f}`);
  console.log(`report: ${relative(process.cwd(), file)} (${outcomes.length - failed} demos ok, ${failed} failed; ${held} of ${total} claims hold)`);
  if (failed > 0 || failing.length > 0) process.exitCode = 1;
}

await main();
