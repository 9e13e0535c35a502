/**
 * Long-input recall of a saved model (issue 21): loads a `SequenceModel` JSON, optionally moves its Hyena
 * filters onto a longer grid (`MAXLEN`: the implicit filter is a function of t/maxLength, so the same weights on
 * a grid k× longer give the filter stretched k× in time; at L = k·L' it is the filter the model used at L'), and
 * measures the recall accuracy on fresh sequences of each length with its binomial standard error and the CPU
 * time of the evaluation.
 *
 * Usage: node --import tsx bench/recall-long.ts <model.json> [lengths=1024,2048,4096] [count=200]
 * Environment: MAXLEN (new maxLength), VOCAB (20), SEED (seed of the test sets, 400 + index), OUT (write the
 * (re-gridded) model's JSON there), TAG (result file bench/results/recall-long[-TAG].json).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpuUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { associativeRecall, SequenceModel } from '../src/index.js';

const [file, lengthArg, countArg] = process.argv.slice(2);
if (!file) throw new Error('usage: recall-long.ts <model.json> [lengths] [count]');
const json = JSON.parse(readFileSync(file, 'utf8'));
if (process.env.MAXLEN) json.net.config.maxLength = Number(process.env.MAXLEN);
const model = SequenceModel.fromJSON(json);
if (process.env.OUT) writeFileSync(process.env.OUT, JSON.stringify(model.toJSON()));
const lengths = (lengthArg ?? '1024,2048,4096').split(',').map(Number);
const count = Number(countArg ?? 200);
const vocabulary = Number(process.env.VOCAB ?? 20);
const seed0 = Number(process.env.SEED ?? 400);
const rows = lengths.map((L, i) => {
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
writeFileSync(out, `${JSON.stringify({ model: file.split('/').at(-1), maxLength: model.architecture.maxLength, mixer: model.architecture.mixer, rows }, null, 1)}\n`);
