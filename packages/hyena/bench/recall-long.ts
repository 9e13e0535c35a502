/**
 * Long-input recall of a saved model (issue 21): loads a `SequenceModel` JSON, optionally extends it to a larger
 * `MAXLEN` without training, and measures the recall accuracy on fresh sequences of each length with its
 * binomial standard error and the CPU time of the evaluation.
 *
 * Extending keeps the Hyena filters on the grid they were trained on (`gridLength` = the old maxLength; what
 * `fitSequenceModel({ init, maxLength })` does); with STRETCH=1 the weights are instead put on a grid of MAXLEN
 * (the implicit filter is a function of t/grid, so a grid k× longer stretches the filter k× in time).
 *
 * Usage: node --import tsx bench/recall-long.ts <model.json[.gz]> [lengths=1024,2048,4096] [count=200]
 * (a length may carry its own count, e.g. 1024:500,4096:200)
 * Environment: MAXLEN (new maxLength), STRETCH (1: re-grid instead of extend), VOCAB (20), SEED (seed of the
 * test sets, 400 + index), OUT (write the (extended) model's JSON there), TAG (result file
 * bench/results/recall-long[-TAG].json).
 */
import { writeFileSync } from 'node:fs';
import { cpuUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { associativeRecall, SequenceModel } from '../src/index.js';
import { readModelJson } from './model-file.js';

const [file, lengthArg, countArg] = process.argv.slice(2);
if (!file) throw new Error('usage: recall-long.ts <model.json> [lengths] [count]');
const json = readModelJson(file);
if (process.env.MAXLEN) {
  const config = json.net.config;
  if (config.mixer === 'hyena' && process.env.STRETCH !== '1') config.gridLength ??= config.maxLength;
  config.maxLength = Number(process.env.MAXLEN);
}
const model = SequenceModel.fromJSON(json);
if (process.env.OUT) writeFileSync(process.env.OUT, JSON.stringify(model.toJSON()));
// a length may carry its own count: 1024:500,4096:200
const lengths = (lengthArg ?? '1024,2048,4096').split(',').map((x) => x.split(':').map(Number) as [number, number?]);
const defaultCount = Number(countArg ?? 200);
const vocabulary = Number(process.env.VOCAB ?? 20);
const seed0 = Number(process.env.SEED ?? 400);
const rows = lengths.map(([L, own], i) => {
  const count = own ?? defaultCount;
  const test = associativeRecall({ vocabulary, length: L, count, seed: seed0 + i });
  const c0 = cpuUsage();
  const e = model.evaluate(test);
  const c = cpuUsage(c0);
  const acc = e.lastAccuracy;
  const row = { length: L, count, accuracy: acc, se: Math.sqrt((acc * (1 - acc)) / count), loss: e.loss, tokenAccuracy: e.tokenAccuracy, cpuMsPerSequence: (c.user + c.system) / 1000 / count };
  console.log(`L=${L}: ${(100 * acc).toFixed(1)} % ± ${(100 * row.se).toFixed(1)} (n=${count}), loss ${e.loss.toFixed(3)}, ${row.cpuMsPerSequence.toFixed(0)} ms CPU/sequence`);
  return row;
});
const out = fileURLToPath(new URL(`./results/recall-long${process.env.TAG ? `-${process.env.TAG}` : ''}.json`, import.meta.url));
const { maxLength, gridLength, mixer } = model.architecture;
writeFileSync(out, `${JSON.stringify({ model: file.split('/').at(-1), mixer, maxLength, gridLength, stretched: process.env.STRETCH === '1', rows }, null, 1)}\n`);
