// Benchmark helpers shared by every package's bench/*.bench.ts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Keeps results alive so the work cannot be optimised away. */
export let sink = 0;

function consume(value) {
  if (typeof value === 'number') sink += value;
  else if (value && typeof value === 'object') sink += 1;
}

/**
 * Times `fn`: a warm-up, then repeated runs until `minMs` has passed (at least `minRuns`).
 * Returns the median seconds per call.
 */
export function time(fn, { minMs = 300, minRuns = 3, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) consume(fn());
  const samples = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < minMs) {
    const t0 = performance.now();
    consume(fn());
    samples.push((performance.now() - t0) / 1000);
    if (samples.length > 10_000) break;
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/**
 * Median CPU seconds (user + system, all threads of this process) per call of `fn` after one warm-up
 * call: steadier than wall time when other jobs load the machine.
 */
export function cpuTime(fn, runs) {
  consume(fn());
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    consume(fn());
    const c = process.cpuUsage(c0);
    samples.push((c.user + c.system) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(runs / 2)];
}

/** Formats seconds as a short human string. */
export function fmtSeconds(s) {
  if (s < 1e-6) return `${(s * 1e9).toFixed(1)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toFixed(1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}

/**
 * Prints a table of rows `{ name, seconds, baseline?, baselineName?, note? }` with the ratio
 * baseline/seconds (> 1 means ours is faster).
 */
export function report(title, rows) {
  console.log(`\n## ${title}`);
  for (const r of rows) {
    const ours = fmtSeconds(r.seconds);
    let line = `- ${r.name}: ${ours}`;
    if (r.baseline !== undefined && r.baseline !== null) {
      const ratio = r.baseline / r.seconds;
      line += ` | ${r.baselineName ?? 'baseline'} ${fmtSeconds(r.baseline)} | speed-up ${ratio.toFixed(2)}×`;
    } else if (r.baselineName) {
      line += ` | ${r.baselineName}: skipped`;
    }
    if (r.note) line += ` | ${r.note}`;
    console.log(line);
  }
}

/** Path of a Python interpreter that imports every module in `modules`, or null (with a message). */
export function findPython(modules = []) {
  const candidates = ['/usr/bin/python3', 'python3'];
  for (const py of candidates) {
    if (py.startsWith('/') && !existsSync(py)) continue;
    const probe = spawnSync(py, ['-c', modules.map((m) => `import ${m}`).join(';') || 'pass'], {
      encoding: 'utf8',
    });
    if (probe.status === 0) return py;
  }
  console.log(`(Python with ${modules.join(', ')} not found: reference column skipped)`);
  return null;
}

/**
 * Runs a Python script with JSON on stdin and parses JSON from its stdout.
 * Use it for reference timings: the script times itself and prints `{ "seconds": ... }`.
 */
export function runPython(python, script, input) {
  const out = spawnSync(python, ['-c', script], {
    input: JSON.stringify(input ?? null),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (out.status !== 0) throw new Error(`python failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}
