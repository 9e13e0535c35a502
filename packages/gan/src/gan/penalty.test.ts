import { type Activation, createRng, MLP, ops, Tensor, variableGrads } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { createSpectralNormState, type SpectralNormState } from '../lipschitz/index.js';
import { criticForward, criticForwardWithInputGradient, powerStep } from './critic.js';
import { sampleMixture, ringModes } from './metrics.js';
import { GANModel } from './model.js';
import { gradientPenalty, r1Penalty } from './penalty.js';
import { trainGAN } from './train.js';

const rows = (rng: { normal(): number }, n: number, d: number) =>
  Tensor.fromArray(Array.from({ length: n * d }, () => rng.normal()), [n, d]);

/** ∇ₓt(x) of row i by central differences of the critic's output (no autodiff). */
function inputGradientFd(critic: MLP, act: Activation, x: Tensor, states: SpectralNormState[] | null, h: number): Float64Array {
  const [n, d] = x.shape as [number, number];
  const out = new Float64Array(n * d);
  const t = (xs: Float64Array) => criticForward(critic, act, new Tensor(xs, [n, d]), states).data;
  for (let j = 0; j < d; j++) {
    const up = Float64Array.from(x.data);
    const down = Float64Array.from(x.data);
    for (let i = 0; i < n; i++) {
      up[i * d + j]! += h;
      down[i * d + j]! -= h;
    }
    const tu = t(up);
    const td = t(down);
    for (let i = 0; i < n; i++) out[i * d + j] = (tu[i]! - td[i]!) / (2 * h);
  }
  return out;
}

/** Central difference of a scalar function of the critic's parameters, at parameter k, entry idx. */
function paramFd(critic: MLP, k: number, idx: number, f: () => number, h: number): number {
  const w = critic.parameters()[k]!;
  const old = w.data[idx]!;
  w.data[idx] = old + h;
  const up = f();
  w.data[idx] = old - h;
  const down = f();
  w.data[idx] = old;
  return (up - down) / (2 * h);
}

describe('GAN: closed-form input gradient of the critic and gradient penalties', () => {
  for (const act of ['relu', 'tanh', 'sigmoid', 'softplus'] as Activation[]) {
    for (const sn of [false, true]) {
      test(`${act}${sn ? ', spectrally normalised' : ''}: t(x) = criticForward and ∇ₓt(x) = core autodiff's input gradient`, () => {
        const rng = createRng(11);
        const critic = new MLP([3, 7, 5, 1], { activation: act, seed: 2 });
        let states: SpectralNormState[] | null = sn ? critic.layers.map((l) => createSpectralNormState(l.weight.shape[0]!, rng)) : null;
        if (states) states = powerStep(critic, states, 3);
        const x = rows(rng, 6, 3);
        const { t, grad } = criticForwardWithInputGradient(critic, act, x, states);
        expect(Array.from(t.data)).toEqual(Array.from(criticForward(critic, act, x, states).data));
        const auto = variableGrads(() => ops.sum(criticForward(critic, act, x, states)), [x]).grads[0]!;
        for (let i = 0; i < grad.size; i++) expect(Math.abs(grad.data[i]! - auto.data[i]!)).toBeLessThan(1e-13);
        const fd = inputGradientFd(critic, act, x, states, 1e-6);
        for (let i = 0; i < grad.size; i++) expect(Math.abs(grad.data[i]! - fd[i]!)).toBeLessThan(1e-7);
      });
    }
  }

  test('R1 and WGAN-GP: the gradient of the penalty with respect to the critic weights vs central differences', () => {
    for (const act of ['tanh', 'relu', 'softplus'] as Activation[]) {
      const rng = createRng(5);
      const critic = new MLP([2, 6, 4, 1], { activation: act, seed: 3 });
      const real = rows(rng, 5, 2);
      const fake = rows(rng, 5, 2);
      const eps = Float64Array.from({ length: 5 }, () => rng.uniform());
      const penalties = {
        r1: () => r1Penalty(critic, act, real, null),
        gp: () => gradientPenalty(critic, act, real, fake, eps, null),
      };
      for (const [name, f] of Object.entries(penalties)) {
        const { grads } = variableGrads(f, critic.parameters());
        for (let k = 0; k < critic.parameters().length; k++) {
          const size = critic.parameters()[k]!.size;
          for (const idx of new Set([0, Math.min(1, size - 1), size - 1])) {
            const fd = paramFd(critic, k, idx, () => f().data[0]!, 1e-6);
            expect(Math.abs(grads[k]!.data[idx]! - fd), `${act} ${name} param ${k}[${idx}]`).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
          }
        }
      }
    }
  });

  test('WGAN-GP with nothing but central differences: ∇ₓt by differences in x, then the penalty differenced in the weights (tanh critic)', () => {
    const rng = createRng(8);
    const act: Activation = 'tanh';
    const critic = new MLP([2, 5, 1], { activation: act, seed: 4 });
    const real = rows(rng, 4, 2);
    const fake = rows(rng, 4, 2);
    const eps = Float64Array.from({ length: 4 }, () => rng.uniform());
    const mix = new Tensor(
      Float64Array.from(real.data, (v, i) => eps[Math.floor(i / 2)]! * v + (1 - eps[Math.floor(i / 2)]!) * fake.data[i]!),
      [4, 2],
    );
    const gpFd = () => {
      const g = inputGradientFd(critic, act, mix, null, 1e-5);
      let s = 0;
      for (let i = 0; i < 4; i++) s += (Math.hypot(g[2 * i]!, g[2 * i + 1]!) - 1) ** 2;
      return s / 4;
    };
    expect(Math.abs(gradientPenalty(critic, act, real, fake, eps, null).data[0]! - gpFd())).toBeLessThan(1e-9);
    const { grads } = variableGrads(() => gradientPenalty(critic, act, real, fake, eps, null), critic.parameters());
    for (let k = 0; k < 4; k++) {
      for (const idx of [0, critic.parameters()[k]!.size - 1]) {
        const fd = paramFd(critic, k, idx, gpFd, 1e-4);
        expect(Math.abs(grads[k]!.data[idx]! - fd), `param ${k}[${idx}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  test('WGAN-GP is 0 for a critic with unit slope everywhere on the interpolates (t(x) = x₁, one identity layer)', () => {
    const critic = new MLP([2, 1], { seed: 1 });
    critic.layers[0]!.weight.data.set([1, 0]);
    const rng = createRng(2);
    const gp = gradientPenalty(critic, 'relu', rows(rng, 3, 2), rows(rng, 3, 2), Float64Array.of(0.2, 0.5, 0.9), null).data[0]!;
    expect(gp).toBeLessThan(1e-11);
    expect(r1Penalty(critic, 'relu', rows(rng, 3, 2), null).data[0]!).toBeCloseTo(1, 14);
  });
});

describe('GAN: packing, generator averaging, penalties in trainGAN', () => {
  const X = sampleMixture(ringModes(), 0.05, 64, { seed: 2 }).to2DArray();
  const base = { steps: 3, batchSize: 8, generatorHidden: [6], criticHidden: [6], seed: 3 };

  test('pack = 3: the critic reads 3 samples (6 columns); JSON round trip; version-1 JSON (no pack) still reads', () => {
    const m = trainGAN(X, { ...base, pack: 3 });
    expect(m.pack).toBe(3);
    expect(m.toJSON().critic.config.sizes).toEqual([6, 6, 1]);
    const row = [[1, 0, 0, 1, -1, 0]];
    expect(m.discriminate(row)).toHaveLength(1);
    expect(() => m.discriminate([[1, 0]])).toThrow(/column/);
    expect(GANModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON()))).discriminate(row)).toEqual(m.discriminate(row));
    const one = trainGAN(X, base).toJSON();
    const v1 = { ...one, version: 1 } as Record<string, unknown>;
    delete v1.pack;
    expect(GANModel.fromJSON(v1).pack).toBe(1);
    expect(() => GANModel.fromJSON({ ...one, pack: 0 })).toThrow(/pack/);
    expect(() => GANModel.fromJSON({ ...m.toJSON(), pack: 1 })).toThrow(/critic/);
  });

  test('emaDecay: the model’s generator is the running average ŵ_t = β_t ŵ_{t−1} + (1 − β_t) w_t, β_t = min(β, (1 + t)/(10 + t)), of the plain run’s iterates', () => {
    const beta = 0.5;
    const iterate = (t: number) =>
      t === 0
        ? new MLP([2, 6, 2], { activation: 'relu', rng: createRng(3) }).parameters().map((p) => Float64Array.from(p.data))
        : Object.values(trainGAN(X, { ...base, steps: t }).toJSON().generator.params).map((p) => Float64Array.from(p.data));
    const avg = iterate(0);
    for (let t = 1; t <= 3; t++) {
      const b = Math.min(beta, (1 + t) / (10 + t));
      const w = iterate(t);
      for (let k = 0; k < avg.length; k++) for (let j = 0; j < avg[k]!.length; j++) avg[k]![j] = b * avg[k]![j]! + (1 - b) * w[k]![j]!;
    }
    const got = Object.values(trainGAN(X, { ...base, emaDecay: beta }).toJSON().generator.params);
    for (let k = 0; k < avg.length; k++) {
      for (let j = 0; j < avg[k]!.length; j++) expect(Math.abs(got[k]!.data[j]! - avg[k]![j]!)).toBeLessThan(1e-15);
    }
  });

  test('r1 and gradientPenalty train deterministically; WGAN-GP turns spectral normalisation off by default', () => {
    for (const o of [{ r1: 0.5 }, { objective: 'wgan' as const, gradientPenalty: 10 }]) {
      const a = trainGAN(X, { ...base, ...o });
      const b = trainGAN(X, { ...base, ...o });
      expect(JSON.stringify(a.toJSON().generator)).toBe(JSON.stringify(b.toJSON().generator));
      expect(JSON.stringify(a.toJSON().critic)).not.toBe(JSON.stringify(trainGAN(X, { ...base, objective: a.objective }).toJSON().critic));
    }
    expect(trainGAN(X, { ...base, objective: 'wgan', gradientPenalty: 10 }).spectralNorm).toBe(false);
    expect(trainGAN(X, { ...base, objective: 'wgan' }).spectralNorm).toBe(true);
  });
});
