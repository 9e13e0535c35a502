import { checkEstimator } from '@notes/check-kit';
import { createRng, MLP, ops, Tensor, gradcheck, variableGrads } from '@notes/core-linalg';
import { Matrix, SVD } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { discreteFDivergence, F_DIVERGENCES, type FDivergenceName, fGanBound, optimalCritic } from '../fdivergence/index.js';
import { createSpectralNormState } from '../lipschitz/index.js';
import { criticForward, powerStep } from './critic.js';
import { adversarialLosses, criticValue, GAN_OBJECTIVES } from './losses.js';
import { modeCoverage, ringModes, sampleMixture } from './metrics.js';
import { GANModel } from './model.js';
import { trainGAN, trainGANAsync } from './train.js';

const p = [0.4, 0.3, 0.2, 0.1];
const q = [0.1, 0.2, 0.3, 0.4];

/** Inverse of the f-GAN output activation g_f (the raw output v with g_f(v) = t). */
const inverseActivation: Partial<Record<FDivergenceName, (t: number) => number>> = {
  kl: (t) => t,
  'reverse-kl': (t) => -Math.log(-t),
  'jensen-shannon': (t) => -Math.log(2 * Math.exp(-2 * t) - 1),
  pearson: (t) => t,
  hellinger: (t) => -Math.log(1 - t),
};

describe('GAN: the minimax objective and its optimal discriminator (notes: GAN)', () => {
  test('D*(x) = p/(p + q) (logit log p/q) maximises V on a discrete toy, and V(D*) = 2·JS(P‖Q) − log 4', () => {
    const tStar = p.map((pi, i) => Math.log(pi / q[i]!));
    const opts = { weightsReal: p, weightsFake: q };
    const vStar = criticValue('minimax', tStar, tStar, opts);
    const js = discreteFDivergence('jensen-shannon', p, q);
    expect(Math.abs(vStar - (2 * js - Math.log(4)))).toBeLessThan(1e-14);
    const rng = createRng(4);
    for (let k = 0; k < 300; k++) {
      const t = tStar.map((v) => v + (rng.uniform() - 0.5) * (k < 150 ? 0.1 : 4));
      expect(criticValue('minimax', t, t, opts)).toBeLessThanOrEqual(vStar + 1e-15);
    }
    // the non-saturating objective has the same critic
    expect(criticValue('non-saturating', tStar, tStar, opts)).toBe(vStar);
  });

  test.each(Object.keys(inverseActivation) as FDivergenceName[])(
    'f-GAN (%s): the loss is the package’s variational bound E_P g_f(v) − E_Q f*(g_f(v)), tight (= D_f) at the optimal critic',
    (name) => {
      const d = F_DIVERGENCES[name];
      const vStar = p.map((pi, i) => inverseActivation[name]!(optimalCritic(name, Math.log(pi), Math.log(q[i]!))));
      const opts = { divergence: name, weightsReal: p, weightsFake: q };
      const exact = discreteFDivergence(name, p, q);
      expect(Math.abs(criticValue('f-gan', vStar, vStar, opts) - exact)).toBeLessThan(1e-12);
      const rng = createRng(7);
      for (let k = 0; k < 100; k++) {
        const v = vStar.map((x) => x + (rng.uniform() - 0.5));
        const value = criticValue('f-gan', v, v, opts);
        const bound = fGanBound(name, v.map(d.activation), v.map(d.activation), { weightsP: p, weightsQ: q });
        expect(Math.abs(value - bound)).toBeLessThan(1e-12 * Math.max(1, Math.abs(bound)));
        expect(value).toBeLessThanOrEqual(exact + 1e-12);
      }
    },
  );

  test('WGAN: V = E_P t − E_Q t; with the 1-Lipschitz critic t(x) = x it is W1 between two point masses', () => {
    expect(criticValue('wgan', [3], [1])).toBe(2);
  });

  test('gradients of every loss vs central differences (core gradcheck)', () => {
    const rng = createRng(1);
    const t = (n: number) => Tensor.fromArray(Array.from({ length: n }, () => rng.normal()));
    for (const objective of GAN_OBJECTIVES) {
      const divs: (FDivergenceName | undefined)[] = objective === 'f-gan' ? (Object.keys(F_DIVERGENCES) as FDivergenceName[]) : [undefined];
      for (const divergence of divs) {
        const o = { objective, ...(divergence ? { divergence } : {}) };
        for (const which of ['critic', 'generator'] as const) {
          const r = gradcheck((a, b) => adversarialLosses(a!, b!, o)[which], [t(5), t(4)], { tol: 1e-6 });
          expect(r.ok, `${objective} ${divergence ?? ''} ${which}: ${r.maxRelError}`).toBe(true);
        }
      }
    }
  });

  test('spectral normalisation: after enough persistent power steps σ_max(W/σ̂) = 1 within 1e-6 (SVD), and the critic gradient through σ̂ matches central differences', () => {
    const rng = createRng(3);
    const critic = new MLP([2, 16, 12, 1], { seed: 5 });
    let states = critic.layers.map((l) => createSpectralNormState(l.weight.shape[0]!, rng));
    for (let k = 0; k < 300; k++) states = powerStep(critic, states, 1);
    critic.layers.forEach((layer, l) => {
      const [rows, cols] = layer.weight.shape as [number, number];
      const W = new Matrix(Array.from({ length: rows }, (_, i) => Array.from(layer.weight.data.slice(i * cols, i * cols + cols))));
      const u = states[l]!.u;
      const uW = W.transpose().mmul(Matrix.columnVector(Array.from(u)));
      const sigmaHat = Math.sqrt(uW.to1DArray().reduce((s, v) => s + v * v, 0));
      const sv = new SVD(W.div(sigmaHat), { autoTranspose: true }).diagonal[0]!;
      expect(Math.abs(sv - 1)).toBeLessThan(1e-6);
    });
    // d(critic output)/dW through W/σ̂(W) vs central differences on a few entries of each layer
    const x = Tensor.fromArray([0.3, -0.7, 1.1, 0.2], [2, 2]);
    const f = () => ops.sum(criticForward(critic, 'relu', x, states));
    const { grads } = variableGrads(f, critic.parameters());
    const params = critic.parameters();
    const h = 1e-6;
    for (const k of [0, 2, 4]) {
      const w = params[k]!;
      for (const idx of [0, 3, 7]) {
        if (idx >= w.size) continue;
        const old = w.data[idx]!;
        w.data[idx] = old + h;
        const up = f().data[0]!;
        w.data[idx] = old - h;
        const down = f().data[0]!;
        w.data[idx] = old;
        const fd = (up - down) / (2 * h);
        expect(Math.abs(grads[k]!.data[idx]! - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  test('PacGAN metrics: samples of the ring itself capture 8 modes, ~100 % high quality, reverse KL ≈ 0', () => {
    const modes = ringModes();
    const cov = modeCoverage(sampleMixture(modes, 0.01, 2500, { seed: 1 }), modes, 0.01);
    expect(cov.modesCaptured).toBe(8);
    expect(cov.highQualityFraction).toBeGreaterThan(0.99); // P(|N(0, I₂)| ≤ 3) = 1 − e^{−4.5} = 0.989 … per mode
    expect(cov.reverseKl).toBeLessThan(0.01);
    const one = modeCoverage([[1, 0], [1.001, 0]], modes, 0.01);
    expect(one.modesCaptured).toBe(1);
    expect(one.reverseKl).toBeCloseTo(Math.log(8), 14);
  });
});

const tiny = () => [sampleMixture(ringModes(), 0.05, 64, { seed: 2 }).to2DArray()];
const base = { steps: 4, batchSize: 16, generatorHidden: [8], criticHidden: [8], seed: 3, progressEvery: 1 };

describe('GAN: trainGAN conventions', () => {
  const featured = { criticFeatures: 3, generatorFeatures: 2, standardize: true, r1: 0.1 };
  for (const [objective, extra] of [['non-saturating', {}], ['wgan', {}], ['non-saturating', featured]] as const) {
    for (const c of checkEstimator({
      name: `trainGAN ${objective}${extra === featured ? ' with Fourier features and standardize' : ''}`,
      data: tiny,
      fit: trainGAN,
      fitAsync: trainGANAsync,
      options: { ...base, objective, ...extra },
      slowOptions: { steps: 1_000_000 },
      fromJSON: GANModel.fromJSON,
      tamper: [
        { path: 'objective', value: 'gan' },
        { path: 'latentDim', value: 0 },
        { path: 'dataDim', value: 3 },
        { path: 'losses.critic', value: [Number.NaN] },
        { path: 'report.iterations', value: -1 },
        { path: 'generator.params', value: null },
        { path: 'critic.config.sizes', value: [2, 8, 2] },
        ...(objective === 'wgan' ? [{ path: 'spectralStates', value: [{ u: [1], steps: 0 }] }] : []),
        ...(extra === featured
          ? [
              { path: 'criticFeatures', value: [1, 2, 3] },
              { path: 'generatorFeatures', value: [Number.NaN, 1, 2, 3] },
              { path: 'scale', value: [1, 0] },
              { path: 'shift', value: [0] },
            ]
          : []),
      ],
    })) {
      test(c.name, c.run);
    }
  }

  test('seeded runs are identical; different seeds differ; sample(n, { seed }) is reproducible', () => {
    const [X] = tiny();
    for (const objective of GAN_OBJECTIVES) {
      const a = trainGAN(X, { ...base, objective });
      const b = trainGAN(X, { ...base, objective });
      expect(JSON.stringify({ ...a.toJSON(), report: 0 })).toBe(JSON.stringify({ ...b.toJSON(), report: 0 }));
      expect(a.sample(5, { seed: 9 }).to2DArray()).toEqual(b.sample(5, { seed: 9 }).to2DArray());
      const c = trainGAN(X, { ...base, objective, seed: 4 });
      expect(c.sample(5, { seed: 9 }).to2DArray()).not.toEqual(a.sample(5, { seed: 9 }).to2DArray());
      const d = a.discriminate([[1, 0], [0, 1]]);
      expect(d.every(Number.isFinite)).toBe(true);
      if (objective !== 'wgan' && objective !== 'f-gan') expect(d.every((v) => v > 0 && v < 1)).toBe(true);
      expect(GANModel.fromJSON(JSON.parse(JSON.stringify(a.toJSON()))).discriminate([[1, 0]])).toEqual(a.discriminate([[1, 0]]));
    }
    // the linear learning-rate schedule changes the path after the first step (which uses the full rate), deterministically
    const lin = (s: number) => trainGAN(X, { ...base, lrSchedule: 'linear', steps: s }).toJSON();
    const con = (s: number) => trainGAN(X, { ...base, steps: s }).toJSON();
    expect(JSON.stringify(lin(1).generator)).toBe(JSON.stringify(con(1).generator));
    expect(JSON.stringify(lin(4).generator)).not.toBe(JSON.stringify(con(4).generator));
    expect(JSON.stringify(lin(4).generator)).toBe(JSON.stringify(lin(4).generator));
  });
});
