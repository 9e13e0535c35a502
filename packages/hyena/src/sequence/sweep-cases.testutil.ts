/** Bad-input sweep cases of the sequence-model exports (used by src/bad-input.test.ts). */
import { associativeRecall, associativeRecallAnswer } from './recall.js';
import { fitSequenceModel, fitSequenceModelAsync, SequenceModel } from './model.js';

type Case = { name: string; export?: string; call: (...args: never[]) => unknown; args: () => unknown[]; options?: number; allowInfinity?: boolean; skipArgs?: number[] };

const data = () => associativeRecall({ vocabulary: 6, length: 6, count: 2, seed: 1 });
const rows = () => data().sequences.map((s) => Array.from(s));
// each option key given here is swept with every bad value (one tiny fit each); the other keys share the spec
const fitOpts = () => ({ mixer: 'hyena' as const, layers: 1, width: 4, order: 1, epochs: 1, batchSize: 2, lr: 0.01, lrSchedule: 'cosine' as const, lrFinal: 0.001, warmup: 0.1, clipNorm: 1, seed: 1 });
let cached: SequenceModel | null = null;
const model = () => {
  cached ??= fitSequenceModel(data(), fitOpts());
  return cached;
};
const input = () => Array.from((data().sequences[0] as Int32Array).subarray(0, 6));

/** Every sequence-model export with valid arguments the sweep perturbs one at a time. */
export function sweepCasesSequence(): Case[] {
  const json = () => JSON.parse(JSON.stringify(model().toJSON()));
  return [
    { name: 'associativeRecall', call: (o: never) => associativeRecall(o), args: () => [{ vocabulary: 10, length: 8, count: 2, seed: 1 }], options: 0 },
    { name: 'associativeRecallAnswer', call: (s: never) => associativeRecallAnswer(s), args: () => [Array.from(data().sequences[0] as Int32Array)] },
    { name: 'fitSequenceModel', call: (d: never, o: never) => fitSequenceModel(d, o), args: () => [rows(), fitOpts()], options: 1 },
    { name: 'fitSequenceModel (attention)', export: 'fitSequenceModel', call: (d: never, o: never) => fitSequenceModel(d, o), args: () => [rows(), { ...fitOpts(), mixer: 'attention', heads: 2 }], skipArgs: [1] },
    // the async twin parses the same option spec; its options are swept through fitSequenceModel (a whole
    // options argument replaced by null or {} is a valid default fit of 10 epochs at width 64: skipped for time)
    { name: 'fitSequenceModelAsync', call: (d: never, o: never) => fitSequenceModelAsync(d, o), args: () => [rows(), fitOpts()], skipArgs: [1] },
    { name: 'SequenceModel.fromJSON (envelope)', export: 'SequenceModel', call: (j: never) => SequenceModel.fromJSON(j), args: () => [json()], options: 0 },
    { name: 'SequenceModel.fromJSON (config)', export: 'SequenceModel', call: (c: never) => SequenceModel.fromJSON({ ...json(), net: { ...json().net, config: c } }), args: () => [json().net.config], options: 0 },
    { name: 'SequenceModel.fromJSON (report)', export: 'SequenceModel', call: (r: never) => SequenceModel.fromJSON({ ...json(), report: r }), args: () => [json().report], options: 0 },
    { name: 'SequenceModel.fromJSON (params)', export: 'SequenceModel', call: (p: never) => SequenceModel.fromJSON({ ...json(), net: { ...json().net, params: p } }), args: () => [json().net.params], options: 0 },
    { name: 'SequenceModel.predict', export: 'SequenceModel', call: (t: never) => model().predict(t), args: () => [input()] },
    { name: 'SequenceModel.logits', export: 'SequenceModel', call: (t: never) => model().logits(t), args: () => [input()] },
    { name: 'SequenceModel.embed', export: 'SequenceModel', call: (t: never) => model().embed(t), args: () => [input()] },
    { name: 'SequenceModel.forwardEmbedded', export: 'SequenceModel', call: (x: never) => model().forwardEmbedded(x), args: () => [model().embed(input())] },
    { name: 'SequenceModel.evaluate', export: 'SequenceModel', call: (d: never) => model().evaluate(d), args: () => [rows()] },
    {
      name: 'SequenceModel.attentionLogits',
      export: 'SequenceModel',
      call: (t: never, l: never) => fitSequenceModel(data(), { ...fitOpts(), mixer: 'attention' }).attentionLogits(t, l),
      args: () => [input(), 0],
      allowInfinity: true,
    },
    { name: 'SequenceModel.memoryProfile', export: 'SequenceModel', call: (t: never, o: never) => model().memoryProfile(t, o), args: () => [input(), { position: 4, token: 2 }], options: 1 },
  ];
}
