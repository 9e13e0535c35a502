/**
 * Time of one training step (forward + backward + Adam update, one sequence) of the 2-layer, width-64 sequence
 * model on associative recall, Hyena vs attention, at growing lengths. CPU time (user + system of this process)
 * is reported next to wall time: on a shared machine the CPU time is the stable figure.
 *
 * Usage: pnpm --filter @notes/hyena bench:recall-steps [lengths=1024,2048,4096] [repeats=2]
 * Environment: BATCH (sequences per step, 1; the times are per step), MIXERS (hyena,attention),
 * TAG (suffix of the result file). Writes bench/results/step-time-<lengths>[-TAG].json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpuUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { associativeRecall, fitSequenceModel, type SequenceMixer } from '../src/index.js';

const args = process.argv.slice(2);
const lengths = (args[0] ?? '1024,2048,4096').split(',').map(Number);
const repeats = Number(args[1] ?? 2);
const out = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(out, { recursive: true });

const batch = Number(process.env.BATCH ?? 1);
const mixers = (process.env.MIXERS ?? 'hyena,attention').split(',') as SequenceMixer[];
const step = (mixer: SequenceMixer, L: number, steps: number) => {
  if (!mixers.includes(mixer)) return { cpuMs: Number.NaN, wallMs: Number.NaN };
  const data = associativeRecall({ vocabulary: 20, length: L, count: steps * batch, seed: 1 });
  const c0 = cpuUsage();
  const t0 = performance.now();
  // the taped attention scores of L = 8192 need ~2.1 GB per layer: raise the budget for this measurement
  fitSequenceModel(data, { mixer, layers: 2, width: 64, epochs: 1, batchSize: batch, seed: 1, maxMemoryBytes: 8e9 });
  const c = cpuUsage(c0);
  return { cpuMs: (c.user + c.system) / 1000 / steps, wallMs: (performance.now() - t0) / steps };
};

step('hyena', 64, 2); // warm-up (JIT)
step('attention', 64, 2);
const rows: { length: number; batch: number; hyenaCpuMs: number; attentionCpuMs: number; hyenaWallMs: number; attentionWallMs: number; ratioCpu: number }[] = [];
for (const L of lengths) {
  // one unmeasured step at this length first (JIT, FFT plans, caches of the length)
  step('hyena', L, 1);
  step('attention', L, 1);
  const h = step('hyena', L, repeats);
  const a = step('attention', L, repeats);
  const row = { length: L, batch, hyenaCpuMs: h.cpuMs, attentionCpuMs: a.cpuMs, hyenaWallMs: h.wallMs, attentionWallMs: a.wallMs, ratioCpu: a.cpuMs / h.cpuMs };
  rows.push(row);
  console.log(
    `L=${L}: Hyena ${h.cpuMs.toFixed(0)} ms CPU (${h.wallMs.toFixed(0)} wall), attention ${a.cpuMs.toFixed(0)} ms CPU (${a.wallMs.toFixed(0)} wall); attention/Hyena ${row.ratioCpu.toFixed(2)}× CPU`,
  );
}
writeFileSync(`${out}step-time-${lengths.join('-')}${process.env.TAG ? `-${process.env.TAG}` : ''}.json`, `${JSON.stringify(rows, null, 1)}\n`);
