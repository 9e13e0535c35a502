/**
 * The NaN leaks, untyped crashes and unguarded allocations that issue 15 found in core, each pinned
 * (every one of these returned NaN or threw a raw TypeError/RangeError before).
 */
import { describe, expect, test } from 'vitest';
import {
  convolve,
  createRng,
  dftMatrix,
  digamma,
  fft,
  fromRowMajor,
  Linear,
  MLP,
  matmul,
  ops,
  rfft,
  sampleBeta,
  sampleNormal,
  Tensor,
} from './index.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('issue 15: typed errors instead of NaN or raw crashes', () => {
  test('1-D signal functions reject nested, ragged and scalar inputs', () => {
    expect(() => convolve([[1, 2], [3]] as unknown as number[], [1, 2])).toThrow(code('shape'));
    expect(() => fft([[1, 2], [3, 4]] as unknown as number[])).toThrow(code('shape'));
    expect(() => rfft(-1 as unknown as number[])).toThrow("rfft: argument 'x' must be an array of numbers, got -1");
    expect(() => fft([1, {} as number, 3])).toThrow(code('domain'));
  });

  test('tensor factories reject NaN and bad shapes; ops reject non-tensors and non-finite scalars', () => {
    expect(() => Tensor.scalar(Number.NaN)).toThrow(code('non-finite'));
    expect(() => Tensor.full([2], Number.POSITIVE_INFINITY)).toThrow(code('non-finite'));
    expect(() => Tensor.fromArray([1, '2' as unknown as number])).toThrow(code('domain'));
    expect(() => Tensor.zeros([2, 1.5])).toThrow(code('shape'));
    expect(() => ops.add(Tensor.zeros([2]), Number.NaN)).toThrow(code('non-finite'));
    expect(() => ops.exp(null as unknown as Tensor)).toThrow("exp: argument 'x' must be a Tensor, got null");
    expect(() => ops.concat([Tensor.zeros([1]), 3 as unknown as Tensor])).toThrow(code('domain'));
  });

  test('large allocations are ResourceErrors before any allocation', () => {
    expect(() => Tensor.zeros([1e5, 1e5])).toThrow(code('resource'));
    expect(() => Tensor.zeros([1e5, 1e5])).toThrow(/about 74\.5 GiB, above the budget of 2\.00 GiB/);
    expect(() => dftMatrix(20_000)).toThrow(code('resource'));
    expect(() => fromRowMajor([], 1e5, 1e5)).toThrow(code('resource'));
    expect(() => matmul(new Float64Array(4), new Float64Array(4), 2e5, 0, 2e5)).toThrow(code('resource'));
  });

  test('counts beyond 2^53 are domain errors (no endless loop), and special functions never return NaN', () => {
    expect(() => sampleNormal(createRng(1), 0, 1)).not.toThrow();
    expect(() => sampleBeta(createRng(1), 1e300, 3)).toThrow(code('domain'));
    expect(() => digamma(Number.NaN)).toThrow(code('non-finite'));
    expect(() => sampleNormal({} as never)).toThrow("sampleNormal: argument 'rng' must be a generator from createRng");
  });

  test('MLP.fromJSON (and every layer) validates every field of tampered JSON', () => {
    const good = JSON.parse(JSON.stringify(new MLP([2, 3, 1], { seed: 1 }).toJSON()));
    const tampered: [string, (j: typeof good) => void][] = [
      ['unknown activation', (j) => { j.config.activation = 'swish'; }],
      ['size 0', (j) => { j.config.sizes = [2, 0, 1]; }],
      ['string size', (j) => { j.config.sizes = [2, '3', 1]; }],
      ['extra config key', (j) => { j.config.dropout = 0.5; }],
      ['missing config key', (j) => { delete j.config.outputActivation; }],
      ['null weight', (j) => { j.params['layer0.weight'].data[0] = null; }],
      ['string weight', (j) => { j.params['layer0.weight'].data[1] = '1'; }],
      ['wrong shape', (j) => { j.params['layer0.weight'].shape = [3, 2]; }],
      ['unknown parameter', (j) => { j.params.extra = { shape: [1], data: [0] }; }],
      ['params not an object', (j) => { j.params = null; }],
      ['wrong kind', (j) => { j.kind = 'Linear'; }],
      ['wrong version', (j) => { j.version = 2; }],
    ];
    for (const [label, tamper] of tampered) {
      const j = JSON.parse(JSON.stringify(good));
      tamper(j);
      let err: unknown;
      try {
        MLP.fromJSON(j);
      } catch (e) {
        err = e;
      }
      expect(err, label).toMatchObject({ name: expect.stringMatching(/Error$/), code: expect.stringMatching(/^(domain|shape|non-finite)$/) });
    }
    expect(MLP.fromJSON(good).toJSON()).toEqual(good);
    const lin = JSON.parse(JSON.stringify(new Linear(2, 2, { seed: 1 }).toJSON()));
    lin.config.bias = 'yes';
    expect(() => Linear.fromJSON(lin)).toThrow("Linear.fromJSON: config: option 'bias' must be a boolean, got 'yes' (string)");
  });
});
