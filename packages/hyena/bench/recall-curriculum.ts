/**
 * Associative recall, Hyena vs attention (issue 21), trained as a length curriculum: one model (2 layers,
 * width 64, vocabulary 20, maxLength = the longest stage) is trained on fresh sequences of the first length,
 * then continued (`init`) on each longer length. After every stage the recall accuracy (the final query's
 * value, argmax of the answer position's logits) is measured on 500 fresh test sequences of that length;
 * the loss is next-token cross-entropy over every position. Each stage's CPU and wall time are recorded
 * (the machine is shared, so CPU time is the stable figure); an AbortSignal stops a stage at `STAGE_MAX`
 * seconds of wall time and its partial model is evaluated and continued.
 *
 * Usage: node --import tsx bench/recall-curriculum.ts <mixer> [stages=32:500,64:100,128:100,256:80]
 * (a stage is L:steps, L:steps:batch or L:steps:batch:lr; L may be lengths joined by '+', e.g. 32+64+128+256:240:16,
 * one run on all of them with batches of one length)
 * Environment: BATCH (32, for stages without their own), LR (3e-3 for the first stage), LR_NEXT (1e-3 later), VOCAB (20), STAGE_MAX (900),
 * TAG (suffix of the result file), MODEL_OUT (write the trained model's JSON there, gzipped if it ends in .gz), INIT (continue from a model JSON[.gz]),
 * EVAL (more test lengths, e.g. 32,128: after every stage the accuracy is measured at every stage length and these),
 * MAXLEN (the model's maxLength when above every stage and EVAL length: the Hyena filters' grid; with INIT, a
 * maxLength above the initial model's extends it, its filters keeping their grid),
 * DATA_SEED (100: seed of the first stage's training data), LATE (share of training sequences whose query key first occurs late, see delayQueryKey), TEST_COUNT (test sequences per length, 500), PROFILE_LENGTH (length of the memory profiles, default maxLength), LR_SCHEDULE / LR_FINAL / WARMUP (the options lrSchedule, lrFinal, warmup
 * of every stage; by default cosine to 0.1 · lr after 10 % warm-up).
 * Writes bench/results/curriculum-<mixer>[-TAG].json with the stages, memory profiles and (attention) [bos].
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpuUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRng } from '@notes/core-linalg';
import { associativeRecall, associativeRecallAnswer, fitSequenceModel, fitSequenceModelAsync, type SequenceMixer, SequenceModel } from '../src/index.js';
import { readModelJson } from './model-file.js';

const mixer = (process.argv[2] ?? 'attention') as SequenceMixer;
// a stage is L:steps[:batch[:lr]]; L may be several lengths joined by '+' (one run on all of them, batches of one length)
const parsed = (process.argv[3] ?? '32:500,64:100,128:100,256:80').split(',').map((s) => {
  const [ls, steps, batch, lr] = s.split(':');
  const lengths = (ls as string).split('+').map(Number);
  return { lengths, lr: lr === undefined ? undefined : Number(lr), stage: [Math.max(...lengths), Number(steps), batch === undefined ? undefined : Number(batch)] as [number, number, number?] };
});
const stages = parsed.map((p) => p.stage);
const defaultBatch = Number(process.env.BATCH ?? 32);
const lr0 = Number(process.env.LR ?? 3e-3);
const lrNext = Number(process.env.LR_NEXT ?? 1e-3);
const vocabulary = Number(process.env.VOCAB ?? 20);
const stageMax = Number(process.env.STAGE_MAX ?? 900) * 1000;
const tag = process.env.TAG ? `-${process.env.TAG}` : '';
const out = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(out, { recursive: true });
// training data of stage k: seed DATA_SEED + k (+ 1000·j for the j-th length of a mixed stage); runs continued
// with INIT should pass another DATA_SEED to train on fresh sequences
const dataSeed = Number(process.env.DATA_SEED ?? 100);
const testCount = Number(process.env.TEST_COUNT ?? 500);
const evalLengths = (process.env.EVAL ?? '').split(',').filter((x) => x !== '').map(Number);
const maxLength = Math.max(...parsed.flatMap((p) => p.lengths), ...evalLengths, Number(process.env.MAXLEN ?? 0));
const arch = { mixer, layers: 2, width: 64, maxLength, seed: 1 } as const;

/** Lags with |∂z_t/∂x_{t−n}| above 1e-3 of the profile's maximum (the notes' count of non-zero entries). */
const effectiveMemory = (p: Float64Array) => {
  const m = Math.max(...p);
  return p.filter((v) => v > 1e-3 * m).length;
};

/**
 * LATE=p: in a share p of the training sequences, every occurrence of the query key before a cut drawn uniformly
 * from the pair positions (keeping at least its last occurrence) is replaced by a copy of another pair of the same
 * sequence (key and value, so the key → value map and the answer stay as they were). Such sequences are rare
 * in the generator's distribution at L ≥ 128 (a key first occurs late), and they are where the attention model
 * fails: the test sets are left as drawn.
 */
const late = Number(process.env.LATE ?? 0);
const delayQueryKey = (seqs: Int32Array[], seed: number) => {
  const rng = createRng(seed);
  for (const s of seqs) {
    if (rng.uniform() >= late) continue;
    const L = s.length - 1;
    const q = s[L - 1] as number;
    const keyPos: number[] = [];
    for (let i = 1; i < L - 1; i += 2) if (s[i] === q) keyPos.push(i);
    const last = keyPos.at(-1) as number;
    const cut = 1 + 2 * Math.floor(rng.uniform() * ((last - 1) / 2 + 1)); // a pair position ≤ the last occurrence
    const others: number[] = [];
    for (let i = 1; i < L - 1; i += 2) if (s[i] !== q) others.push(i);
    if (others.length === 0) continue;
    for (const i of keyPos) {
      if (i >= cut || i === last) continue;
      const j = others[Math.floor(rng.uniform() * others.length)] as number;
      s[i] = s[j] as number;
      s[i + 1] = s[j + 1] as number;
    }
  }
};

const untrained = fitSequenceModel(associativeRecall({ vocabulary, length: stages[0]?.[0] ?? 32, count: 1, seed: 3 }), { ...arch, epochs: 1, lr: 1e-300 });
const readModel = (f: string) => SequenceModel.fromJSON(readModelJson(f));
let model = process.env.INIT ? readModel(process.env.INIT) : untrained;
const rows: Record<string, unknown>[] = [];
const testLengths = [...new Set([...parsed.flatMap((p) => p.lengths), ...evalLengths])].sort((a, b) => a - b);
// the test set of a stage length keeps its seed 200 + (index of its first stage); extra lengths get 250 + index
const testSets = new Map(
  testLengths.map((L) => {
    const k = parsed.findIndex((p) => p.lengths.length === 1 && p.lengths[0] === L);
    return [L, associativeRecall({ vocabulary, length: L, count: testCount, seed: k >= 0 ? 200 + k : 250 + evalLengths.indexOf(L) })];
  }),
);
for (const [k, [L, steps, stageBatch]] of stages.entries()) {
  const batchSize = stageBatch ?? defaultBatch;
  const { lengths } = parsed[k] as { lengths: number[] };
  // a mixed stage: steps × batch sequences split evenly over its lengths (seed 100 + k + 1000·j for length j)
  const train =
    lengths.length === 1
      ? associativeRecall({ vocabulary, length: L, count: steps * batchSize, seed: dataSeed + k })
      : { sequences: lengths.flatMap((l, j) => associativeRecall({ vocabulary, length: l, count: Math.ceil((steps * batchSize) / lengths.length), seed: dataSeed + k + 1000 * j }).sequences) };
  if (late > 0) {
    delayQueryKey(train.sequences as Int32Array[], dataSeed + 4900 + k);
    // the answers are unchanged: each sequence's map still gives its target (throws otherwise)
    for (const seq of train.sequences) if (associativeRecallAnswer(seq) !== seq[seq.length - 1]) throw new Error('LATE changed an answer');
  }
  const test = testSets.get(L) as ReturnType<typeof associativeRecall>;
  const before = model.evaluate(test);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), stageMax);
  const c0 = cpuUsage();
  const t0 = performance.now();
  const lr = parsed[k]?.lr ?? (k === 0 ? lr0 : lrNext);
  try {
    model = await fitSequenceModelAsync(train, {
      // a longer stage than the model reads extends it (Hyena filters keep their grid)
      ...(k === 0 && !process.env.INIT ? arch : { init: model, maxLength: Math.max(model.architecture.maxLength, maxLength) }),
      epochs: 1,
      batchSize,
      lr,
      seed: 10 + k,
      ...(process.env.LR_SCHEDULE ? { lrSchedule: process.env.LR_SCHEDULE as 'cosine' | 'linear' | 'constant' } : {}),
      ...(process.env.LR_FINAL ? { lrFinal: Number(process.env.LR_FINAL) } : {}),
      ...(process.env.WARMUP ? { warmup: Number(process.env.WARMUP) } : {}),
      signal: controller.signal,
      progressEvery: Math.max(1, Math.floor(steps / 10)),
      onProgress: (p) => console.log(`  ${mixer} L=${L} step ${p.iteration}/${steps} loss ${p.objective.toFixed(3)} ${(p.elapsedMs / 1000).toFixed(0)} s`),
    });
  } catch (e) {
    const partial = (e as { partial?: unknown }).partial;
    if (!(partial instanceof SequenceModel)) throw e;
    model = partial;
  } finally {
    clearTimeout(timer);
  }
  const c = cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  const cpu = (c.user + c.system) / 1e6;
  const after = model.evaluate(test);
  const row = {
    length: L,
    ...(lengths.length > 1 ? { lengths } : {}),
    steps: model.report.iterations,
    plannedSteps: steps,
    batchSize,
    lr,
    dataSeed: dataSeed + k,
    ...(late > 0 ? { late } : {}),
    lrFinal: process.env.LR_FINAL ? Number(process.env.LR_FINAL) : 0.1 * lr,
    ...(process.env.LR_SCHEDULE ? { lrSchedule: process.env.LR_SCHEDULE } : {}),
    ...(process.env.WARMUP ? { warmup: Number(process.env.WARMUP) } : {}),
    trainSequences: model.report.iterations * batchSize,
    reason: model.report.reason,
    cpuSeconds: cpu,
    wallSeconds: wall,
    cpuMsPerStep: (1000 * cpu) / Math.max(1, model.report.iterations),
    wallMsPerStep: (1000 * wall) / Math.max(1, model.report.iterations),
    accuracyBefore: before.lastAccuracy,
    testAccuracy: after.lastAccuracy,
    testLoss: after.loss,
    untrainedAccuracy: untrained.evaluate(test).lastAccuracy,
    finalTrainLoss: model.report.trace?.at(-1),
    // recall accuracy after this stage at every length of the curriculum (transfer to shorter and longer inputs)
    accuracyByLength: Object.fromEntries([...testSets].map(([l, t]) => [l, l === L ? after.lastAccuracy : model.evaluate(t).lastAccuracy])),
  };
  rows.push(row);
  console.log(
    `${mixer} L=${L}: accuracy ${(100 * after.lastAccuracy).toFixed(1)} % (before this stage ${(100 * before.lastAccuracy).toFixed(1)} %), ` +
      `${row.steps} steps × ${batchSize}, ${cpu.toFixed(0)} s CPU, ${wall.toFixed(0)} s wall, ${row.cpuMsPerStep.toFixed(0)} ms CPU/step`,
  );
  console.log(`  accuracy by length: ${JSON.stringify(row.accuracyByLength)}`);
  writeFileSync(`${out}curriculum-${mixer}${tag}.json`, `${JSON.stringify({ mixer, vocabulary, layers: 2, width: 64, heads: model.architecture.heads, stages: rows }, null, 1)}\n`);
  if (process.env.MODEL_OUT) {
    const text = JSON.stringify(model.toJSON());
    writeFileSync(process.env.MODEL_OUT, process.env.MODEL_OUT.endsWith('.gz') ? gzipSync(text, { level: 9 }) : text);
  }
}

// memory profiles (记忆力) of the answer logit at the query position, trained vs untrained, at the longest length
const L = Math.min(maxLength, Number(process.env.PROFILE_LENGTH ?? maxLength));
const test = associativeRecall({ vocabulary, length: L, count: 20, seed: 300 });
const profiles = test.sequences.slice(0, 5).map((seq) => {
  const input = seq.subarray(0, L);
  const answer = seq[L] as number;
  const query = seq[L - 1] as number;
  const keyLags: number[] = [];
  for (let i = 1; i < L - 1; i += 2) if (seq[i] === query) keyLags.push(L - 1 - i);
  const trained = model.memoryProfile(input, { token: answer });
  const initial = untrained.memoryProfile(input, { token: answer });
  const side = (p: Float64Array) => ({ effective: effectiveMemory(p), max: Math.max(...p), atKeyLags: keyLags.map((n) => p[n]), atValueLags: keyLags.map((n) => p[n - 1]), profile: Array.from(p) });
  return { keyLags, trained: side(trained), untrained: side(initial) };
});
const result: Record<string, unknown> = { mixer, vocabulary, layers: 2, width: 64, heads: model.architecture.heads, stages: rows, memory: profiles };
if (mixer === 'attention') {
  const bos = (m: SequenceModel, layer: number) =>
    test.sequences.map((seq) => {
      const { bosExcess } = m.attentionLogits(seq.subarray(0, L), layer);
      let s = 0;
      for (let i = 1; i < L; i++) s += bosExcess[i] as number;
      return s / (L - 1);
    });
  result.bos = { layers: [0, 1].map((layer) => ({ layer, trained: bos(model, layer), untrained: bos(untrained, layer) })) };
  result.attentionRow = Array.from(model.attentionLogits((test.sequences[0] as Int32Array).subarray(0, L), 1).logits.getRow(L - 1));
  result.querySequence = Array.from((test.sequences[0] as Int32Array).subarray(0, L));
}
writeFileSync(`${out}curriculum-${mixer}${tag}.json`, `${JSON.stringify(result, null, 1)}\n`);
console.log('done');
