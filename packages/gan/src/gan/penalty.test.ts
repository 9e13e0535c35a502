import { type Activation, createRng, MLP, ops, Tensor, variableGrads } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { createSpectralNormState, type SpectralNormState } from '../lipschitz/index.js';
import { type CriticFeatures, criticForward, criticForwardWithInputGradient, generatorInput, powerStep } from './critic.js';
import { sampleMixture, ringModes } from './metrics.js';
import { GANModel } from './model.js';
import { gradientPenalty, r1Penalty } from './penalty.js';
import { trainGAN } from './train.js';

const rows = (rng: { normal(): number }, n: number, d: number) =>
  Tensor.fromArray(Array.from({ length: n * d }, () => rng.normal()), [n, d]);

/** ∇ₓt(x) of row i by central differences of the critic's output (no autodiff). */
function inputGradientFd(
  critic: MLP,
  act: Activation,
  x: Tensor,
  states: SpectralNormState[] | null,
  h: number,
  features: CriticFeatures | null = null,
): Float64Array {
  const [n, d] = x.shape as [number, number];
  const out = new Float64Array(n * d);
  const t = (xs: Float64Array) => criticForward(critic, act, new Tensor(xs, [n, d]), states, features).data;
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

  for (const act of ['relu', 'tanh'] as Activation[]) {
    for (const sn of [false, true]) {
      test(`Fourier features, ${act}${sn ? ', spectrally normalised' : ''}: t(x) on φ(x) = [x, sin xB, cos xB] and its closed-form ∇ₓt = core autodiff's input gradient = central differences`, () => {
        const rng = createRng(12);
        const m = 4;
        const features: CriticFeatures = { frequencies: rows(rng, 3, m) };
        const critic = new MLP([3 + 2 * m, 7, 5, 1], { activation: act, seed: 2 });
        let states: SpectralNormState[] | null = sn ? critic.layers.map((l) => createSpectralNormState(l.weight.shape[0]!, rng)) : null;
        if (states) states = powerStep(critic, states, 3);
        const x = rows(rng, 6, 3);
        // φ by hand: the critic on [x, sin(xB), cos(xB)] is the plain MLP on those 3 + 2m columns
        const phi = new Float64Array(6 * (3 + 2 * m));
        for (let i = 0; i < 6; i++) {
          for (let j = 0; j < 3; j++) phi[i * (3 + 2 * m) + j] = x.data[i * 3 + j]!;
          for (let k = 0; k < m; k++) {
            let a = 0;
            for (let j = 0; j < 3; j++) a += x.data[i * 3 + j]! * features.frequencies.data[j * m + k]!;
            phi[i * (3 + 2 * m) + 3 + k] = Math.sin(a);
            phi[i * (3 + 2 * m) + 3 + m + k] = Math.cos(a);
          }
        }
        const plain = criticForward(critic, act, new Tensor(phi, [6, 3 + 2 * m]), states).data;
        const { t, grad } = criticForwardWithInputGradient(critic, act, x, states, features);
        const viaOps = criticForward(critic, act, x, states, features).data;
        for (let i = 0; i < 6; i++) {
          expect(Math.abs(t.data[i]! - plain[i]!)).toBeLessThan(1e-13);
          expect(Math.abs(viaOps[i]! - plain[i]!)).toBeLessThan(1e-13);
        }
        expect(Array.from(generatorInput(x, features).data).every((v, i) => Math.abs(v - phi[i]!) < 1e-15)).toBe(true);
        const auto = variableGrads(() => ops.sum(criticForward(critic, act, x, states, features)), [x]).grads[0]!;
        for (let i = 0; i < grad.size; i++) expect(Math.abs(grad.data[i]! - auto.data[i]!)).toBeLessThan(1e-12);
        const fd = inputGradientFd(critic, act, x, states, 1e-6, features);
        for (let i = 0; i < grad.size; i++) expect(Math.abs(grad.data[i]! - fd[i]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd[i]!)));
      });
    }
  }

  test('R1 and WGAN-GP through Fourier features: the gradient with respect to the critic weights vs central differences (tanh)', () => {
    const rng = createRng(6);
    const act: Activation = 'tanh';
    const features: CriticFeatures = { frequencies: rows(rng, 2, 3) };
    const critic = new MLP([2 + 6, 6, 1], { activation: act, seed: 3 });
    const real = rows(rng, 5, 2);
    const fake = rows(rng, 5, 2);
    const eps = Float64Array.from({ length: 5 }, () => rng.uniform());
    const penalties = {
      r1: () => r1Penalty(critic, act, real, null, features),
      gp: () => gradientPenalty(critic, act, real, fake, eps, null, features),
    };
    for (const [name, f] of Object.entries(penalties)) {
      const { grads } = variableGrads(f, critic.parameters());
      for (let k = 0; k < critic.parameters().length; k++) {
        const size = critic.parameters()[k]!.size;
        for (const idx of new Set([0, Math.min(1, size - 1), size - 1])) {
          const fd = paramFd(critic, k, idx, () => f().data[0]!, 1e-6);
          expect(Math.abs(grads[k]!.data[idx]! - fd), `${name} param ${k}[${idx}]`).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
        }
      }
    }
  });

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

  test('Fourier features and standardize: sizes, JSON v3 round trip, version-2 JSON still reads, bad feature matrices rejected', () => {
    const o = { ...base, criticFeatures: 5, generatorFeatures: 3, pack: 2, standardize: true, r1: 0.1 };
    const m = trainGAN(X, o);
    expect([m.criticFeatures, m.generatorFeatures, m.standardized]).toEqual([5, 3, true]);
    const j = m.toJSON();
    expect(j.version).toBe(3);
    expect(j.critic.config.sizes).toEqual([4 + 10, 6, 1]);
    expect(j.generator.config.sizes).toEqual([2 + 6, 6, 2]);
    expect(j.criticFeatures).toHaveLength(4 * 5);
    expect(j.generatorFeatures).toHaveLength(2 * 3);
    const back = GANModel.fromJSON(JSON.parse(JSON.stringify(j)));
    expect(back.sample(7, { seed: 4 }).to2DArray()).toEqual(m.sample(7, { seed: 4 }).to2DArray());
    const row = [[1, 0, 0.5, -0.5]];
    expect(back.discriminate(row)).toEqual(m.discriminate(row));
    expect(JSON.stringify(back.toJSON())).toBe(JSON.stringify(j));
    expect(JSON.stringify({ ...trainGAN(X, o).toJSON(), report: 0 })).toBe(JSON.stringify({ ...j, report: 0 }));
    // a model without the new options: its version-2 JSON (no features, no standardisation) reads the same
    const plain = trainGAN(X, base);
    const v2 = { ...plain.toJSON(), version: 2 } as Record<string, unknown>;
    for (const k of ['criticFeatures', 'generatorFeatures', 'shift', 'scale']) delete v2[k];
    const old = GANModel.fromJSON(v2);
    expect(old.sample(5, { seed: 1 }).to2DArray()).toEqual(plain.sample(5, { seed: 1 }).to2DArray());
    expect([old.criticFeatures, old.generatorFeatures, old.standardized]).toEqual([0, 0, false]);
    expect(() => GANModel.fromJSON({ ...j, criticFeatures: j.criticFeatures!.slice(1) })).toThrow(/criticFeatures/);
    expect(() => GANModel.fromJSON({ ...j, criticFeatures: j.criticFeatures!.slice(4) })).toThrow(/critic/);
    expect(() => GANModel.fromJSON({ ...j, generatorFeatures: null })).toThrow(/generator/);
    expect(() => GANModel.fromJSON({ ...j, scale: [1, -1] })).toThrow(/scale/);
    expect(() => GANModel.fromJSON({ ...j, shift: [0, Number.POSITIVE_INFINITY] })).toThrow(/shift/);
    expect(() => trainGAN([[1, 0], [1, 2], [1, 3]], { ...base, standardize: true })).toThrow(/column 0/);
  });

  test('standardize makes training invariant to the data’s units: data a·X + b gives samples a·G + b and the same critic on a·x + b', () => {
    const a = [250, 0.01];
    const b = [1000, -3];
    const Y = X.map((r) => r.map((v, j) => a[j]! * v + b[j]!));
    const o = { ...base, standardize: true, criticFeatures: 3, generatorFeatures: 2, r1: 0.1 };
    const m1 = trainGAN(X, o);
    const m2 = trainGAN(Y, o);
    const s1 = m1.sample(20, { seed: 5 }).to2DArray();
    const s2 = m2.sample(20, { seed: 5 }).to2DArray();
    for (let i = 0; i < 20; i++) for (let j = 0; j < 2; j++) expect(Math.abs(s2[i]![j]! - (a[j]! * s1[i]![j]! + b[j]!))).toBeLessThan(1e-8 * a[j]!);
    const probe = [[0.3, -0.2], [1, 0.5]];
    const d1 = m1.discriminate(probe);
    const d2 = m2.discriminate(probe.map((r) => r.map((v, j) => a[j]! * v + b[j]!)));
    for (let i = 0; i < 2; i++) expect(Math.abs(d1[i]! - d2[i]!)).toBeLessThan(1e-8);
    // without standardize the samples stay on the generator's unit scale, far from b = (1000, −3)
    expect(Math.abs(trainGAN(Y, { ...o, standardize: false }).sample(1, { seed: 5 }).get(0, 0) - 1000)).toBeGreaterThan(100);
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
