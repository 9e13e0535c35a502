/**
 * Associative recall with a small causal sequence model (notes: Hyena Hierarchy, self-attention operator,
 * 记忆力): the task generator, the causality of the whole model by its autodiff Jacobian, a short Hyena
 * training run, and the memory profile of the trained vs the untrained model. The long runs (accuracy vs
 * length, Hyena vs attention) are `pnpm --filter @notes/hyena bench:recall`; their committed results are
 * shown in the table when present.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRng, jacobian, sampleNormalArray, Tensor } from '@notes/core-linalg';
import { associativeRecall, associativeRecallAnswer, fitSequenceModel, fitSequenceModelAsync, SequenceModel } from '@notes/hyena';
import { atLeast, atMost, equals } from '../../claims.js';
import type { Claim, Demo } from '../../demo.js';

const RESULTS = new URL('../../../../../packages/hyena/bench/results/', import.meta.url);

/** Lags whose |∂z_t/∂x_{t−n}| exceeds 1e-3 of the profile's maximum. */
const effective = (p: Float64Array): number => {
  const m = Math.max(...p);
  return p.filter((v) => v > 1e-3 * m).length;
};

const demo: Demo = {
  id: 'hyena/recall',
  title: 'Associative recall: a causal Hyena model trained on CPU, its causality and memory',
  section: 'Hyena Hierarchy · 记忆力',
  code: ['packages/hyena/src/sequence/model.ts', 'packages/hyena/src/sequence/recall.ts'],
  tests: ['packages/hyena/src/sequence/sequence.test.ts'],
  order: 730,
  async run({ seed, log }) {
    // a small instance that 2 CPU cores can learn in well under a minute (4 keys, 5 pairs)
    const V = 8;
    const L = 12;
    const train = associativeRecall({ vocabulary: V, length: L, count: 1200, seed });
    const test = associativeRecall({ vocabulary: V, length: L, count: 200, seed: seed + 1 });
    let lookupOk = 0;
    test.sequences.forEach((s, i) => {
      if (associativeRecallAnswer(s) === test.answers[i]) lookupOk++;
    });

    const options = { mixer: 'hyena', layers: 2, width: 32, batchSize: 8, lr: 5e-3, seed } as const;
    // causality of the full model: ∂z_i/∂x_j for j > i, by the autodiff Jacobian
    const small = fitSequenceModel(associativeRecall({ vocabulary: V, length: 12, count: 1, seed }), { ...options, width: 8, lr: 1e-9 });
    const x = new Tensor(sampleNormalArray(createRng(seed), 12 * 8), [12, 8]);
    const J = jacobian((u) => small.forwardEmbedded(u))(x);
    const Vs = small.architecture.vocabulary;
    let future = 0;
    let past = 0;
    for (let i = 0; i < 12; i++)
      for (let v = 0; v < Vs; v++)
        for (let j = 0; j < 12; j++)
          for (let w = 0; w < 8; w++) {
            const g = Math.abs(J.data[((i * Vs + v) * 12 + j) * 8 + w] as number);
            if (j > i) future = Math.max(future, g);
            else past = Math.max(past, g);
          }

    const untrained = fitSequenceModel(associativeRecall({ vocabulary: V, length: L, count: 1, seed }), { ...options, lr: 1e-12 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 45_000);
    let model: SequenceModel;
    const losses: { step: number; loss: number }[] = [];
    try {
      model = await fitSequenceModelAsync(train, {
        ...options,
        epochs: 1,
        signal: controller.signal,
        progressEvery: 5,
        onProgress: (p) => {
          losses.push({ step: p.iteration, loss: p.objective });
          if (p.iteration % 50 === 0) log(`step ${p.iteration}: loss ${p.objective.toFixed(3)}`);
        },
      });
    } catch (e) {
      const partial = (e as { partial?: unknown }).partial;
      if (!(partial instanceof SequenceModel)) throw e;
      model = partial;
      log(`stopped by the 45 s budget after ${model.report.iterations} steps`);
    } finally {
      clearTimeout(timer);
    }
    const after = model.evaluate(test);
    const before = untrained.evaluate(test);

    const seq = test.sequences[0] as Int32Array;
    const input = seq.subarray(0, L);
    const answer = seq[L] as number;
    const profiles: { n: number; value: number; model: string }[] = [];
    const pT = model.memoryProfile(input, { token: answer });
    const pU = untrained.memoryProfile(input, { token: answer });
    for (let n = 0; n < L; n++) {
      profiles.push({ n, value: pT[n] as number, model: 'trained' });
      profiles.push({ n, value: pU[n] as number, model: 'untrained' });
    }

    const rows: Record<string, number | string>[] = [];
    const benchProfiles: { n: number; value: number; model: string }[] = [];
    const benchClaims: Claim[] = [];
    const read = (name: string) => (existsSync(new URL(name, RESULTS)) ? JSON.parse(readFileSync(new URL(name, RESULTS), 'utf8')) : null);
    const h64 = read('recall-hyena-64.json');
    const a64 = read('recall-attention-64.json');
    for (const [r, label] of [[h64, 'Hyena'], [a64, 'attention']] as const) {
      if (!r) continue;
      for (const which of ['trained', 'untrained'] as const) {
        const prof = r.memory[which].profile as number[];
        const max = r.memory[which].max as number;
        prof.forEach((v, n) => {
          benchProfiles.push({ n, value: v / max, model: `${label} ${which}` });
        });
      }
    }
    if (h64) {
      const rel = (w: 'trained' | 'untrained') => Math.max(...(h64.memory[w].atKeyLags as number[])) / h64.memory[w].max;
      benchClaims.push(atLeast('bench, Hyena L = 64: relative memory at the lags of the query key’s earlier occurrences, trained / untrained', rel('trained') / rel('untrained'), 1));
    }
    if (a64?.bos) {
      benchClaims.push(
        atLeast('bench, attention L = 64: mean excess pre-softmax logit to [bos] (position 0) of layer 1, trained minus untrained', a64.bos.trainedMeanExcess - a64.bos.untrainedMeanExcess, 0),
      );
    }
    if (existsSync(RESULTS)) {
      for (const f of readdirSync(RESULTS).filter((n) => n.startsWith('recall-') && n.endsWith('.json')).sort()) {
        const r = JSON.parse(readFileSync(new URL(f, RESULTS), 'utf8'));
        rows.push({
          mixer: r.mixer,
          L: r.length,
          'accuracy %': Number((100 * r.testAccuracy).toFixed(1)),
          steps: r.steps,
          'train sequences': r.trainSequences,
          'CPU ms / step (8 seq)': Math.round(r.cpuMsPerStep),
          'wall s': Math.round(r.wallSeconds),
        });
      }
      rows.sort((a, b) => (a.L as number) - (b.L as number) || String(a.mixer).localeCompare(String(b.mixer)));
    }

    return {
      claims: [
        equals('the generator’s answer equals an independent lookup (of 200 test sequences)', lookupOk, 200),
        atMost('causality: max |∂z_i/∂x_j| over j > i (autodiff Jacobian of the 2-block model)', future, 1e-12),
        atLeast('… while the past is seen: max |∂z_i/∂x_j| over j ≤ i', past, 1e-3),
        atMost('test loss after ≤ 45 s of training relative to the untrained model’s (nats per token)', after.loss / before.loss, 1),
        ...benchClaims,
      ],
      summary:
        `Hyena, 2 blocks, width 32, vocabulary ${V}, L = ${L}: ${model.report.iterations} steps of 8 sequences in at most 45 s ` +
        `(next-token loss over every position). Recall accuracy ${(100 * after.lastAccuracy).toFixed(1)} % vs ${(100 * before.lastAccuracy).toFixed(1)} % untrained ` +
        `(chance ${(100 / (V - Math.floor(V / 2))).toFixed(0)} %); test loss ${after.loss.toFixed(3)} vs ${before.loss.toFixed(3)} nats. ` +
        `The memory profile |∂z_t/∂x_{t−n}| of the answer's logit at the query position: the trained model reaches ${effective(pT)} lags above 1e-3 of its maximum (untrained ${effective(pU)}). ` +
        'The table lists the long runs of bench/recall-training.ts (2 layers, width 64, vocabulary 20) as committed: at that size no 10-minute CPU run learned recall.',
      metrics: {
        'recall accuracy (trained)': after.lastAccuracy,
        'recall accuracy (untrained)': before.lastAccuracy,
        'test loss': after.loss,
        steps: model.report.iterations,
        'max future gradient': future,
      },
      tables: rows.length ? [{ title: 'Accuracy vs length (bench/results, 2 layers, width 64, vocabulary 20)', rows }] : [],
      plots: [
        ...(benchProfiles.length
          ? [
              {
                title: 'bench L = 64: memory profile of the answer logit (÷ its maximum), trained vs untrained',
                data: { values: benchProfiles },
                mark: 'line',
                encoding: {
                  x: { field: 'n', type: 'quantitative', title: 'lag n' },
                  y: { field: 'value', type: 'quantitative', scale: { type: 'symlog', constant: 1e-4 }, title: 'relative |∂z_t/∂x_(t−n)|' },
                  color: { field: 'model', type: 'nominal' },
                },
              },
            ]
          : []),
        {
          title: 'Training loss (nats per token)',
          data: { values: losses },
          mark: 'line',
          encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'loss', type: 'quantitative', scale: { zero: false } } },
        },
        {
          title: 'Memory profile of the answer logit, trained vs untrained',
          data: { values: profiles },
          mark: 'line',
          encoding: {
            x: { field: 'n', type: 'quantitative', title: 'lag n' },
            y: { field: 'value', type: 'quantitative', scale: { type: 'symlog', constant: 1e-4 }, title: '|∂z_t/∂x_(t−n)|' },
            color: { field: 'model', type: 'nominal' },
          },
        },
      ],
    };
  },
};

export default demo;
