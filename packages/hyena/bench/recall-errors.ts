/**
 * Where a trained recall model fails (issue 21): loads a `SequenceModel` JSON[.gz], predicts the answer of fresh
 * `associativeRecall` sequences of one length and splits the errors by the position of the query key's first
 * occurrence in the sequence, by the distance from its last occurrence to the query, and by its number of
 * occurrences. This analysis showed the attention model failing mostly where the query key first occurs late
 * (rare at L ≥ 128 with 10 keys), which motivated the `LATE` option of `recall-curriculum.ts`.
 *
 * Usage: node --import tsx bench/recall-errors.ts <model.json[.gz]> [length=128] [count=300]
 * Environment: VOCAB (20), SEED (777: seed of the test sequences; use one never used in training),
 * BUCKET (32: width of the first-occurrence buckets in positions), TAG (write bench/results/recall-errors-TAG.json).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { associativeRecall, SequenceModel } from '../src/index.js';
import { readModelJson } from './model-file.js';

const [file, lengthArg, countArg] = process.argv.slice(2);
if (!file) throw new Error('usage: recall-errors.ts <model.json[.gz]> [length] [count]');
const model = SequenceModel.fromJSON(readModelJson(file));
const L = Number(lengthArg ?? 128);
const count = Number(countArg ?? 300);
const bucket = Number(process.env.BUCKET ?? 32);
const data = associativeRecall({ vocabulary: Number(process.env.VOCAB ?? 20), length: L, count, seed: Number(process.env.SEED ?? 777) });

type Tally = { wrong: number; n: number };
const add = (m: Map<number, Tally>, key: number, ok: boolean) => {
  const t = m.get(key) ?? { wrong: 0, n: 0 };
  t.n += 1;
  if (!ok) t.wrong += 1;
  m.set(key, t);
};
const byFirst = new Map<number, Tally>();
const byLastDistance = new Map<number, Tally>();
const byOccurrences = new Map<number, Tally>();
let wrong = 0;
for (const s of data.sequences) {
  const q = s[L - 1] as number;
  const occurrences: number[] = [];
  for (let i = 1; i < L - 1; i += 2) if (s[i] === q) occurrences.push(i);
  const ok = model.predict(s.subarray(0, L)).next[L - 1] === s[L];
  if (!ok) wrong += 1;
  add(byFirst, Math.floor((occurrences[0] as number) / bucket) * bucket, ok);
  add(byLastDistance, Math.floor((L - 1 - (occurrences.at(-1) as number)) / bucket) * bucket, ok);
  add(byOccurrences, Math.min(occurrences.length, 8), ok);
}
const rows = (m: Map<number, Tally>) => [...m].sort((a, b) => a[0] - b[0]).map(([from, t]) => ({ from, wrong: t.wrong, n: t.n }));
const result = { model: file.split('/').at(-1), length: L, count, accuracy: 1 - wrong / count, se: Math.sqrt(((wrong / count) * (1 - wrong / count)) / count), bucket, byFirstOccurrence: rows(byFirst), byLastDistance: rows(byLastDistance), byOccurrences: rows(byOccurrences) };
console.log(`L=${L}: ${wrong}/${count} wrong (accuracy ${(100 * result.accuracy).toFixed(1)} % ± ${(100 * result.se).toFixed(1)})`);
for (const [name, r] of [['first occurrence at', result.byFirstOccurrence], ['last occurrence this far back', result.byLastDistance], ['occurrences (8 = 8 or more)', result.byOccurrences]] as const) {
  console.log(`${name}: ${r.map((x) => `${x.from}: ${x.wrong}/${x.n}`).join(', ')}`);
}
if (process.env.TAG) writeFileSync(fileURLToPath(new URL(`./results/recall-errors-${process.env.TAG}.json`, import.meta.url)), `${JSON.stringify(result, null, 1)}\n`);
