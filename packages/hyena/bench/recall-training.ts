/**
 * Associative recall, Hyena vs attention (issue 21): 2 layers, width 64, vocabulary 20, next-token loss
 * over the whole sequence. Each run is calibrated to a wall-clock budget: a few steps are timed, the training
 * set is sized so one epoch fits the budget (× 1.3, the calibration runs on a cold cache), and an AbortSignal
 * stops the run at 1.25 × the budget at the latest (the partial model is evaluated then). Accuracy = recall of the final query's value on 200 fresh
 * test sequences.
 *
 * Usage: pnpm bench:recall (node --import tsx bench/recall-training.ts) [lengths=64,256] [mixers=hyena,attention] [budgetSeconds=480]
 * Environment: VOCAB (20), BATCH (8), LR (3e-3), TAG (suffix of the result file).
 * Writes bench/results/recall-<mixer>-<L>[-TAG].json (accuracy, loss, steps, time per step, memory profiles, [bos]).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpuUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { associativeRecall, fitSequenceModel, fitSequenceModelAsync, type SequenceMixer, SequenceModel } from '../src/index.js';

const args = process.argv.slice(2);
const lengths = (args[0] ?? '64,256').split(',').map(Number);
const mixers = (args[1] ?? 'hyena,attention').split(',') as SequenceMixer[];
const budget = Number(args[2] ?? 480) * 1000;
const vocabulary = Number(process.env.VOCAB ?? 20);
const batchSize = Number(process.env.BATCH ?? 8);
const lr = Number(process.env.LR ?? 3e-3);
const tag = process.env.TAG ? `-${process.env.TAG}` : '';
const heads = Number(process.env.HEADS ?? 4);
const fixedSteps = process.env.STEPS ? Number(process.env.STEPS) : undefined;
const out = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(out, { recursive: true });

/** Lags with |∂z_t/∂x_{t−n}| above 1e-3 of the profile's maximum (the notes' count of non-zero entries). */
const effectiveMemory = (p: Float64Array) => {
  const m = Math.max(...p);
  return p.filter((v) => v > 1e-3 * m).length;
};

for (const L of lengths) {
  for (const mixer of mixers) {
    const base = { mixer, layers: 2, width: 64, heads: mixer === 'attention' ? heads : 1, batchSize, lr, seed: 1 } as const;
    // calibrate: CPU and wall time of 2 steps (after a warm-up fit, so the JIT has compiled the kernels)
    const probe = associativeRecall({ vocabulary, length: L, count: 2 * batchSize, seed: 99 });
    fitSequenceModel(probe, { ...base, epochs: 1 });
    const c0 = cpuUsage();
    const t0 = performance.now();
    fitSequenceModel(probe, { ...base, epochs: 1 });
    const wallPerStep = (performance.now() - t0) / 2;
    const c = cpuUsage(c0);
    const cpuPerStep = (c.user + c.system) / 1000 / 2;
    const steps = fixedSteps ?? Math.max(4, Math.floor((1.3 * budget) / wallPerStep));
    const train = associativeRecall({ vocabulary, length: L, count: steps * batchSize, seed: 1 });
    const test = associativeRecall({ vocabulary, length: L, count: 200, seed: 2 });
    const untrained = fitSequenceModel(associativeRecall({ vocabulary, length: L, count: 1, seed: 3 }), { ...base, epochs: 1, lr: 1e-12 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 1.25 * budget);
    const start = performance.now();
    const cStart = cpuUsage();
    let model: SequenceModel;
    let log = '';
    try {
      model = await fitSequenceModelAsync(train, {
        ...base,
        epochs: 1,
        signal: controller.signal,
        progressEvery: Math.max(1, Math.floor(steps / 20)),
        onProgress: (p) => {
          log = `step ${p.iteration}/${steps} loss ${p.objective.toFixed(3)} ${(p.elapsedMs / 1000).toFixed(0)} s`;
          console.log(`  ${mixer} L=${L} ${log}`);
        },
      });
    } catch (e) {
      const partial = (e as { partial?: unknown }).partial;
      if (!(partial instanceof SequenceModel)) throw e;
      model = partial;
    } finally {
      clearTimeout(timer);
    }
    const wall = performance.now() - start;
    const cu = cpuUsage(cStart);
    const evaluation = model.evaluate(test);
    const before = untrained.evaluate(test);
    const seq = test.sequences[0] as Int32Array;
    const input = seq.subarray(0, L);
    const answer = seq[L] as number;
    const profTrained = model.memoryProfile(input, { token: answer });
    const profUntrained = untrained.memoryProfile(input, { token: answer });
    // where the query key occurred earlier: the lags the trained model should reach back to
    const query = seq[L - 1] as number;
    const keyLags: number[] = [];
    for (let i = 1; i < L - 1; i += 2) if (seq[i] === query) keyLags.push(L - 1 - i);
    const result: Record<string, unknown> = {
      mixer,
      length: L,
      vocabulary,
      batchSize,
      lr,
      heads: base.heads,
      steps: model.report.iterations,
      plannedSteps: steps,
      reason: model.report.reason,
      trainSequences: model.report.iterations * batchSize,
      wallSeconds: wall / 1000,
      cpuSeconds: (cu.user + cu.system) / 1e6,
      calibrationWallMsPerStep: wallPerStep,
      calibrationCpuMsPerStep: cpuPerStep,
      wallMsPerStep: wall / Math.max(1, model.report.iterations),
      cpuMsPerStep: (cu.user + cu.system) / 1000 / Math.max(1, model.report.iterations),
      testAccuracy: evaluation.lastAccuracy,
      testLoss: evaluation.loss,
      tokenAccuracy: evaluation.tokenAccuracy,
      untrainedAccuracy: before.lastAccuracy,
      finalTrainLoss: model.report.trace?.at(-1),
      memory: {
        keyLags,
        trained: { effective: effectiveMemory(profTrained), atKeyLags: keyLags.map((n) => profTrained[n]), max: Math.max(...profTrained), profile: Array.from(profTrained) },
        untrained: { effective: effectiveMemory(profUntrained), atKeyLags: keyLags.map((n) => profUntrained[n]), max: Math.max(...profUntrained), profile: Array.from(profUntrained) },
      },
    };
    if (mixer === 'attention') {
      const meanExcess = (m: SequenceModel) => {
        const { bosExcess } = m.attentionLogits(input, 0);
        let s = 0;
        for (let i = 1; i < L; i++) s += bosExcess[i] as number;
        return s / (L - 1);
      };
      result.bos = { trainedMeanExcess: meanExcess(model), untrainedMeanExcess: meanExcess(untrained) };
    }
    writeFileSync(`${out}recall-${mixer}-${L}${tag}.json`, `${JSON.stringify(result, null, 1)}\n`);
    console.log(
      `${mixer} L=${L}: accuracy ${(100 * evaluation.lastAccuracy).toFixed(1)} % (untrained ${(100 * before.lastAccuracy).toFixed(1)} %), loss ${evaluation.loss.toFixed(3)}, ` +
        `${model.report.iterations} steps × ${batchSize} seq, ${(wall / 1000).toFixed(0)} s wall, ${(result.cpuMsPerStep as number).toFixed(0)} ms CPU/step, ${model.report.reason}`,
    );
  }
}
