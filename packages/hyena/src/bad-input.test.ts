// The bad-input sweep of docs/conventions.md §8 over every public export of @notes/hyena: each argument,
// first element and option is replaced by NaN, ±Infinity, null, '3', [], ragged/holey arrays, {}, -1,
// 1e300, 1e-300 and true, one at a time. Required: 0 untyped errors, 0 silent NaN/±Infinity, 0 mutated
// inputs. Writes bad-input-results.json next to package.json.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng, sampleNormalArray, Tensor } from '@notes/core-linalg';
import { sweepBadInputs, uncoveredExports } from '@notes/check-kit';
import { expect, test } from 'vitest';
import * as hyena from './index.js';
import { sweepCasesSequence } from './sequence/sweep-cases.testutil.js';

const {
  bosLogitProfile,
  CausalSelfAttention,
  causalDirectConv,
  causalFftConv,
  causalToeplitz,
  circulantEigenvalues,
  circulantEmbedding,
  circulantFromEigenvalues,
  circulantMatrix,
  continuousSSM,
  diagonalSSM,
  discreteSSM,
  discretize,
  eigenvalues,
  expm,
  HyenaFilter,
  HyenaOperator,
  HyenaProjection,
  hippoLegS,
  hyenaFilter,
  hyenaMatrixForm,
  hyenaOperator,
  hyenaPositionalEncoding,
  hyenaProjection,
  hyenaRecurrence,
  memoryProfile,
  sinusoidalEncoding,
  ssmConvolve,
  ssmKernel,
  ssmOperator,
  ssmScan,
  toeplitzMatrix,
} = hyena;

type Case = { name: string; export?: string; call: (...args: never[]) => unknown; args: () => unknown[]; options?: number; allowInfinity?: boolean; skipArgs?: number[] };

const cssm = () => ({ A: [[-1, 0.2], [0, -2]], B: [1, 1], C: [1, 0.5], D: 0.1 });
const dssm = () => discreteSSM({ A: [[0.5, 0.1], [0, 0.2]], B: [1, 1], C: [1, 0.5], D: 0 });
const tensor = (shape: number[], seed: number) => new Tensor(sampleNormalArray(createRng(seed), shape.reduce((a, b) => a * b, 1)), shape);

const projOpts = () => ({ width: 2, order: 1, shortKernel: 3, seed: 1 });
const filterOpts = () => ({ width: 2, order: 1, maxLength: 8, embeddingDim: 5, hidden: 4, omega: 10, decay: [1, 30] as [number, number], seed: 0 });
const opOpts = () => ({ ...filterOpts(), shortKernel: 3 });
const attnOpts = () => ({ width: 4, heads: 2, seed: 0, maxMemoryBytes: 1e9 });
const streams = () => [tensor([2, 6], 1), [tensor([2, 6], 2)], [tensor([2, 6], 3)]];
const bosOpts = () => ({
  embeddings: [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0]],
  heads: [{ Wq: [[1], [0], [0.5]], Wk: [[1], [0.2], [0]] }],
  length: 6,
  bosToken: 0,
  positional: true,
  seed: 1,
  maxMemoryBytes: 1e9,
});

/** Cases for a module's static fromJSON: the envelope, each config field, each weight, one weight's data. */
function jsonCases(name: string, fromJSON: (json: never) => unknown, make: () => { toJSON(): { config: object; params: Record<string, { data: number[] }> } }): Case[] {
  const json = () => JSON.parse(JSON.stringify(make().toJSON()));
  const first = Object.keys(json().params)[0] as string;
  return [
    { name: `${name}.fromJSON (envelope)`, export: name, call: (j: never) => fromJSON(j), args: () => [json()], options: 0 },
    { name: `${name}.fromJSON (config)`, export: name, call: (c: never) => fromJSON({ ...json(), config: c } as never), args: () => [json().config], options: 0 },
    { name: `${name}.fromJSON (params)`, export: name, call: (p: never) => fromJSON({ ...json(), params: p } as never), args: () => [json().params], options: 0 },
    {
      name: `${name}.fromJSON (weights)`,
      export: name,
      call: (d: never) => {
        const j = json();
        j.params[first] = { ...j.params[first], data: d };
        return fromJSON(j as never);
      },
      args: () => [json().params[first].data],
    },
  ];
}

const cases: Case[] = [
  { name: 'continuousSSM', call: (p: never) => continuousSSM(p), args: () => [cssm()], options: 0 },
  { name: 'discreteSSM', call: (p: never) => discreteSSM(p), args: () => [cssm()], options: 0 },
  { name: 'eigenvalues', call: (a: never) => eigenvalues(a), args: () => [[[1, 2], [3, 4]]] },
  { name: 'ssmKernel', call: (s: never, l: never) => ssmKernel(s, l), args: () => [dssm(), 8] },
  { name: 'ssmKernel (fields)', export: 'ssmKernel', call: (s: never) => ssmKernel(s, 8), args: () => [{ ...dssm() }], options: 0 },
  { name: 'ssmScan', call: (s: never, u: never) => ssmScan(s, u), args: () => [dssm(), [1, 2, 3]] },
  { name: 'ssmConvolve', call: (s: never, u: never) => ssmConvolve(s, u), args: () => [dssm(), [1, 2, 3]] },
  { name: 'discretize', call: (s: never, o: never) => discretize(s, o), args: () => [continuousSSM(cssm()), { dt: 0.1, method: 'zoh', requireStable: true }], options: 1 },
  { name: 'discretize (ssm fields)', export: 'discretize', call: (s: never) => discretize(s, { dt: 0.1, method: 'bilinear' }), args: () => [{ ...continuousSSM(cssm()) }], options: 0 },
  { name: 'diagonalSSM', call: (n: never, o: never) => diagonalSSM(n, o), args: () => [3, { C: [1, 2, 3], D: 0.5, maxMemoryBytes: 1e9 }], options: 1 },
  { name: 'diagonalSSM (n)', export: 'diagonalSSM', call: (n: never) => diagonalSSM(n), args: () => [3] },
  { name: 'hippoLegS', call: (n: never, o: never) => hippoLegS(n, o), args: () => [3, { C: [1, 2, 3], D: 0.5, maxMemoryBytes: 1e9 }], options: 1 },
  { name: 'hippoLegS (n)', export: 'hippoLegS', call: (n: never) => hippoLegS(n), args: () => [3] },
  { name: 'expm', call: (a: never) => expm(a), args: () => [[[0, 1], [-1, 0]]] },
  { name: 'toeplitzMatrix', call: (c: never, r: never) => toeplitzMatrix(c, r), args: () => [[1, 2, 3], [1, 4]] },
  { name: 'toeplitzMatrix (options)', export: 'toeplitzMatrix', call: (o: never) => toeplitzMatrix([1, 2], [1, 3], o), args: () => [{ maxMemoryBytes: 1e9 }], options: 0 },
  { name: 'causalToeplitz', call: (h: never, l: never, o: never) => causalToeplitz(h, l, o), args: () => [[1, 2], 4, { maxMemoryBytes: 1e9 }], options: 2 },
  { name: 'circulantMatrix', call: (c: never, o: never) => circulantMatrix(c, o), args: () => [[1, 2, 3], { maxMemoryBytes: 1e9 }], options: 1 },
  { name: 'circulantEmbedding', call: (h: never, l: never, o: never) => circulantEmbedding(h, l, o), args: () => [[1, 2], 3, { maxMemoryBytes: 1e9 }], options: 2 },
  { name: 'circulantEigenvalues', call: (c: never) => circulantEigenvalues(c), args: () => [[1, 2, 3, 4]] },
  { name: 'circulantFromEigenvalues', call: (l: never) => circulantFromEigenvalues(l), args: () => [{ re: [4, 1, 0, 1], im: [0, 0.5, 0, -0.5] }], options: 0 },
  { name: 'circulantFromEigenvalues (options)', export: 'circulantFromEigenvalues', call: (l: never, o: never) => circulantFromEigenvalues(l, o), args: () => [circulantEigenvalues([1, 2, 3]), { maxMemoryBytes: 1e9 }], options: 1 },
  { name: 'causalFftConv', call: (u: never, h: never) => causalFftConv(u, h), args: () => [[1, 2, 3], [0.5, 0.25]] },
  { name: 'causalDirectConv', call: (u: never, h: never) => causalDirectConv(u, h), args: () => [[1, 2, 3], [0.5, 0.25]] },
  { name: 'memoryProfile', call: (op: never, u: never, t: never, o: never) => memoryProfile(op, u, t, o), args: () => [ssmOperator(dssm()), tensor([6], 4), 4, { outputChannel: 0 }], options: 3 },
  { name: 'ssmOperator', call: (s: never) => ssmOperator(s), args: () => [dssm()] },
  { name: 'ssmOperator (apply)', export: 'ssmOperator', call: (u: never) => ssmOperator(dssm())(u), args: () => [tensor([5], 5)] },
  { name: 'bosLogitProfile', call: (o: never) => bosLogitProfile(o), args: () => [bosOpts()], options: 0, allowInfinity: true },
  { name: 'sinusoidalEncoding', call: (l: never, d: never) => sinusoidalEncoding(l, d), args: () => [5, 4] },
  { name: 'HyenaProjection', call: (o: never) => new HyenaProjection(o), args: () => [projOpts()], options: 0 },
  { name: 'hyenaProjection', call: (o: never) => hyenaProjection(o), args: () => [projOpts()], options: 0 },
  { name: 'HyenaProjection.forward', export: 'HyenaProjection', call: (u: never) => new HyenaProjection(projOpts()).forward(u), args: () => [tensor([5, 2], 6)] },
  { name: 'HyenaFilter', call: (o: never) => new HyenaFilter(o), args: () => [filterOpts()], options: 0 },
  { name: 'hyenaFilter', call: (o: never) => hyenaFilter(o), args: () => [filterOpts()], options: 0 },
  { name: 'HyenaFilter.forward', export: 'HyenaFilter', call: (l: never) => new HyenaFilter(filterOpts()).forward(l), args: () => [6] },
  { name: 'hyenaPositionalEncoding', call: (l: never, m: never, e: never) => hyenaPositionalEncoding(l, m, e), args: () => [4, 8, 5] },
  { name: 'HyenaOperator', call: (o: never) => new HyenaOperator(o), args: () => [opOpts()], options: 0 },
  { name: 'hyenaOperator', call: (o: never) => hyenaOperator(o), args: () => [opOpts()], options: 0 },
  { name: 'HyenaOperator.forward', export: 'HyenaOperator', call: (u: never) => new HyenaOperator(opOpts()).forward(u), args: () => [tensor([6, 2], 7)] },
  { name: 'HyenaOperator.forwardDetailed', export: 'HyenaOperator', call: (u: never) => new HyenaOperator(opOpts()).forwardDetailed(u).output, args: () => [tensor([6, 2], 7)] },
  { name: 'CausalSelfAttention', call: (o: never) => new CausalSelfAttention(o), args: () => [attnOpts()], options: 0 },
  { name: 'CausalSelfAttention.forward', export: 'CausalSelfAttention', call: (u: never) => new CausalSelfAttention(attnOpts()).forward(u), args: () => [tensor([6, 4], 8)] },
  { name: 'hyenaRecurrence', call: (v: never, x: never, h: never) => hyenaRecurrence(v, x, h), args: streams },
  { name: 'hyenaMatrixForm', call: (v: never, x: never, h: never) => hyenaMatrixForm(v, x, h), args: streams },
  { name: 'hyenaMatrixForm (options)', export: 'hyenaMatrixForm', call: (o: never) => hyenaMatrixForm(...(streams() as [Tensor, Tensor[], Tensor[]]), o), args: () => [{ maxMemoryBytes: 1e9 }], options: 0 },
  ...jsonCases('HyenaProjection', (j) => HyenaProjection.fromJSON(j), () => new HyenaProjection(projOpts())),
  ...jsonCases('HyenaFilter', (j) => HyenaFilter.fromJSON(j), () => new HyenaFilter(filterOpts())),
  ...jsonCases('HyenaOperator', (j) => HyenaOperator.fromJSON(j), () => new HyenaOperator(opOpts())),
  ...jsonCases('CausalSelfAttention', (j) => CausalSelfAttention.fromJSON(j), () => new CausalSelfAttention(attnOpts())),
  ...sweepCasesSequence(),
];

/** Exports the sweep does not call, with the reason. */
const EXEMPTIONS: Record<string, string> = {};

test('every public function and class of @notes/hyena has a sweep case', () => {
  expect(uncoveredExports(hyena, cases, EXEMPTIONS)).toEqual([]);
});

test('bad-input sweep: 0 untyped errors, 0 silent NaN/±Infinity, 0 mutated inputs', async () => {
  const { counts, failures } = await sweepBadInputs(cases);
  const file = fileURLToPath(new URL('../bad-input-results.json', import.meta.url));
  writeFileSync(file, `${JSON.stringify({ package: '@notes/hyena', counts, exemptions: Object.keys(EXEMPTIONS) }, null, 2)}\n`);
  expect(failures.map((f) => `${f.case} | ${f.mutation} | ${f.outcome} | ${f.detail}`.slice(0, 200))).toEqual([]);
  expect(counts.untyped + counts.silent + counts.mutated).toBe(0);
}, 120_000);
