/**
 * Normalizing Flows (notes): RealNVP change of variables, invertibility, log-det, normalisation,
 * stability and training. Independent answers: the autodiff Jacobian's determinant (ml-matrix LU),
 * a midpoint-rule integral over a 2-D grid, central differences.
 */
import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { createRng, gradcheck, jacobian, noGrad, ops, Tensor, variableGrads } from '@notes/core-linalg';
import { determinant, Matrix } from 'ml-matrix';
import { afterAll, describe, expect, test } from 'vitest';
import { type BaseDistribution, baseParameters, createBase, createFlowLayers, type FlowConfig, type FlowLayer, flowForward, flowLogProb, flowParameters } from './layers.js';
import { FlowModel, fitRealNVP, fitRealNVPAsync } from './realnvp.js';

const DONE = { converged: true, reason: 'completed', iterations: 0, elapsedMs: 0 } as const;

function config(dimension: number, over: Partial<FlowConfig> = {}): FlowConfig {
  return { dimension, couplings: 4, hiddenUnits: 8, hiddenLayers: 2, activation: 'tanh', scaleClamp: 3, actNorm: true, base: 'normal', baseComponents: 8, ...over };
}

/** A non-trivial flow: random conditioner output layers (scale `scale`) and random ActNorm parameters. */
function randomLayers(c: FlowConfig, seed: number, scale = 0.7): FlowLayer[] {
  const rng = createRng(seed);
  const layers = createFlowLayers(c, rng, scale);
  for (const l of layers) {
    if (l.type === 'actnorm') {
      for (let j = 0; j < c.dimension; j++) {
        l.loc.data[j] = 0.3 * rng.normal();
        l.logScale.data[j] = 0.3 * rng.normal();
      }
    } else {
      const last = l.net.layers[l.net.layers.length - 1];
      if (last?.bias) for (let i = 0; i < last.bias.size; i++) last.bias.data[i] = 0.2 * rng.normal();
    }
  }
  return layers;
}

/** A random mixture base (K components) for dimension D. */
function randomBase(c: FlowConfig, seed: number): BaseDistribution {
  const rng = createRng(seed);
  const base = createBase(c);
  if (base.type === 'mixture') {
    for (let i = 0; i < base.logits.size; i++) base.logits.data[i] = 0.5 * rng.normal();
    for (let i = 0; i < base.means.size; i++) base.means.data[i] = 1.5 * rng.normal();
    for (let i = 0; i < base.logScales.size; i++) base.logScales.data[i] = -0.5 + 0.3 * rng.normal();
  }
  return base;
}

function randomModel(c: FlowConfig, seed: number, scale = 0.7): FlowModel {
  return new FlowModel(c, randomLayers(c, seed, scale), DONE as never, randomBase(c, seed + 1000));
}

function randomRows(n: number, d: number, seed: number, sd = 1.5): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => sd * rng.normal()));
}

function maxAbsDiff(A: number[][], B: Matrix): number {
  let err = 0;
  A.forEach((row, i) => {
    row.forEach((v, j) => {
      err = Math.max(err, Math.abs(B.get(i, j) - v));
    });
  });
  return err;
}

function twoMoons(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const t = Math.PI * rng.uniform();
    const upper = i % 2 === 0;
    const x = upper ? Math.cos(t) : 1 - Math.cos(t);
    const y = upper ? Math.sin(t) : 0.5 - Math.sin(t);
    return [x + 0.06 * rng.normal(), y + 0.06 * rng.normal()];
  });
}

describe('Normalizing Flows: RealNVP is invertible with an exact log-det', () => {
  test.each([2, 3, 5])('inverse(forward(x)) = x to 1e-10 (D = %i, 6 couplings)', (d) => {
    const model = randomModel(config(d, { couplings: 6 }), 10 + d);
    const X = randomRows(200, d, 20 + d);
    const { z } = model.forward(X);
    const back = model.inverse(z);
    const err = maxAbsDiff(X, back);
    expect(err).toBeLessThan(1e-10);
    // and forward(inverse(z)) = z
    const Z = randomRows(50, d, 30 + d, 1);
    const again = model.forward(model.inverse(Z)).z;
    const errZ = maxAbsDiff(Z, again);
    expect(errZ).toBeLessThan(1e-10);
  });

  test.each([2, 3, 5])('log-det = log|det J| of the autodiff Jacobian to 1e-8 (D = %i)', (d) => {
    const c = config(d, { couplings: 5 });
    const layers = randomLayers(c, 40 + d);
    const model = new FlowModel(c, layers, DONE as never);
    const X = randomRows(10, d, 50 + d);
    const { logDet } = model.forward(X);
    const J = jacobian((x) => ops.reshape(flowForward(layers, ops.reshape(x, [1, d]), c.scaleClamp).z, [d]));
    let err = 0;
    X.forEach((row, i) => {
      const Jx = J(Tensor.fromArray(row));
      const M = new Matrix(d, d);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) M.set(a, b, Jx.data[a * d + b] as number);
      err = Math.max(err, Math.abs(Math.log(Math.abs(determinant(M))) - (logDet[i] as number)));
    });
    expect(err).toBeLessThan(1e-8);
  });

  test('the log-density integrates to 1 on a 2-D grid (midpoint rule, [-20, 20]², h = 0.05) to 1e-3', () => {
    // measured: |integral − 1| = 8.3e-13 (on [-9, 9]² the mass outside the box, 1.6e-3, shows)
    const model = randomModel(config(2, { couplings: 4 }), 3, 0.5);
    const L = 20;
    const h = 0.05;
    const m = Math.round((2 * L) / h);
    let total = 0;
    for (let i = 0; i < m; i++) {
      const rows: number[][] = [];
      for (let j = 0; j < m; j++) rows.push([-L + (i + 0.5) * h, -L + (j + 0.5) * h]);
      const lp = model.logProb(rows);
      for (const v of lp) total += Math.exp(v);
    }
    const integral = total * h * h;
    expect(Math.abs(integral - 1)).toBeLessThan(1e-3);
  });

  test('with a mixture base (K = 3) the density still integrates to 1 ([-20, 20]², h = 0.05) and samples follow it', () => {
    const model = randomModel(config(2, { couplings: 3, base: 'mixture', baseComponents: 3 }), 21, 0.5);
    const L = 20;
    const h = 0.05;
    const m = Math.round((2 * L) / h);
    let total = 0;
    for (let i = 0; i < m; i++) {
      const rows: number[][] = [];
      for (let j = 0; j < m; j++) rows.push([-L + (i + 0.5) * h, -L + (j + 0.5) * h]);
      for (const v of model.logProb(rows)) total += Math.exp(v);
    }
    expect(Math.abs(total * h * h - 1)).toBeLessThan(1e-3);
    // E[log p(x)] over samples vs the grid's ∫ p log p: both estimate −H (sampling s.e. ≈ sd/√n)
    const S = model.sample(4000, { seed: 9 });
    const lp = model.logProb(S);
    const mean = lp.reduce((a, b) => a + b, 0) / lp.length;
    const sd = Math.sqrt(lp.reduce((a, b) => a + (b - mean) ** 2, 0) / (lp.length - 1));
    let negH = 0;
    for (let i = 0; i < m; i += 2) {
      const rows: number[][] = [];
      for (let j = 0; j < m; j += 2) rows.push([-L + (i + 1) * h, -L + (j + 1) * h]);
      for (const v of model.logProb(rows)) negH += Math.exp(v) * v * 4 * h * h;
    }
    expect(Math.abs(mean - negH)).toBeLessThan(4 * (sd / Math.sqrt(lp.length)) + 1e-3);
  });

  test('outputs stay finite at |z| = 50 and |x| = 50 with 16 coupling layers', () => {
    const model = randomModel(config(2, { couplings: 16 }), 7, 1);
    const Z = [
      [50, 0],
      [0, -50],
      [35.355, 35.355],
      [-35.355, -35.355],
    ];
    const X = model.inverse(Z);
    for (const v of X.to2DArray().flat()) expect(Number.isFinite(v)).toBe(true);
    const lp = model.logProb(Z); // data far out
    for (const v of lp) expect(Number.isFinite(v)).toBe(true);
    const { z, logDet } = model.forward(X);
    for (const v of [...z.to2DArray().flat(), ...logDet]) expect(Number.isFinite(v)).toBe(true);
    // the soft clamp bounds each coupling's log-det by c per transformed coordinate
    const bound = 16 * 3 + model.layersForTesting().reduce((s, l) => (l.type === 'actnorm' ? s + Math.abs(l.logScale.data[0] as number) + Math.abs(l.logScale.data[1] as number) : s), 0);
    for (const v of logDet) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    expect(model.sample(20, { seed: 1 }).to2DArray().flat().every(Number.isFinite)).toBe(true);
  });

  test('training a 12-coupling flow keeps every output finite', () => {
    const model = fitRealNVP(twoMoons(128, 1), { couplings: 12, hiddenUnits: 8, epochs: 3, batchSize: 32, learningRate: 1e-2, seed: 2 });
    expect(model.report.trace?.every(Number.isFinite)).toBe(true);
    expect(model.logProb([[50, -50]]).every(Number.isFinite)).toBe(true);
    expect(model.inverse([[50, 0]]).to2DArray().flat().every(Number.isFinite)).toBe(true);
  });
});

describe('Normalizing Flows: gradients vs central differences', () => {
  test('d(mean NLL)/d(every parameter, mixture base included) matches central differences', () => {
    const c = config(2, { couplings: 2, hiddenUnits: 4, hiddenLayers: 1, base: 'mixture', baseComponents: 3 });
    const layers = randomLayers(c, 5);
    const base = randomBase(c, 6);
    const params = [...flowParameters(layers), ...baseParameters(base)];
    const x = Tensor.fromArray(randomRows(6, 2, 6).flat(), [6, 2]);
    const loss = () => ops.neg(ops.mean(flowLogProb(layers, x, c.scaleClamp, base)));
    const { grads } = variableGrads(loss, params);
    const eps = 1e-6;
    let worst = 0;
    params.forEach((p, k) => {
      for (let i = 0; i < p.size; i++) {
        const x0 = p.data[i] as number;
        p.data[i] = x0 + eps;
        const fp = noGrad(loss).item();
        p.data[i] = x0 - eps;
        const fm = noGrad(loss).item();
        p.data[i] = x0;
        const fd = (fp - fm) / (2 * eps);
        const ad = grads[k]?.data[i] as number;
        worst = Math.max(worst, Math.abs(fd - ad) / Math.max(1, Math.abs(fd)));
      }
    });
    expect(worst).toBeLessThan(1e-6);
  });

  test('the score d log p(x)/dx passes gradcheck', () => {
    const c = config(3, { couplings: 3 });
    const layers = randomLayers(c, 8);
    const r = gradcheck((x) => flowLogProb(layers, x, c.scaleClamp), [Tensor.fromArray(randomRows(4, 3, 9).flat(), [4, 3])]);
    expect(r.maxRelError).toBeLessThan(1e-6);
  });
});

describe('Normalizing Flows: fitting', () => {
  test('the same seed gives the same flow; a different seed a different one', () => {
    const X = twoMoons(64, 3);
    const o = { couplings: 2, hiddenUnits: 8, epochs: 2, batchSize: 16, seed: 4 };
    const a = JSON.stringify(fitRealNVP(X, o).toJSON().layers);
    expect(JSON.stringify(fitRealNVP(X, o).toJSON().layers)).toBe(a);
    expect(JSON.stringify(fitRealNVP(X, { ...o, seed: 5 }).toJSON().layers)).not.toBe(a);
  });

  test("learningRateSchedule 'cosine': step t uses lr·(1 + cos(πt/T))/2 (first step = constant schedule's, later ones smaller)", () => {
    const X = twoMoons(64, 3);
    const o = { couplings: 2, hiddenUnits: 8, batchSize: 64, learningRate: 1e-2, seed: 4 };
    const layers = (m: FlowModel) => JSON.stringify(m.toJSON().layers);
    // one step in total: lr_0 = lr under both schedules
    expect(layers(fitRealNVP(X, { ...o, epochs: 1, learningRateSchedule: 'cosine' }))).toBe(layers(fitRealNVP(X, { ...o, epochs: 1 })));
    // two steps: the second uses lr/2 under cosine
    expect(layers(fitRealNVP(X, { ...o, epochs: 2, learningRateSchedule: 'cosine' }))).not.toBe(layers(fitRealNVP(X, { ...o, epochs: 2 })));
  });

  test('averaging d: the returned parameters are the debiased moving average of the iterates', () => {
    // two Adam steps (two minibatches of one epoch): θ̄ = ((1 − d)d·θ₁ + (1 − d)·θ₂)/(1 − d²) = (d·θ₁ + θ₂)/(1 + d),
    // with no weight on the initial θ₀. θ₂ comes from the fit without averaging, θ₁ is solved from the
    // d = 0.5 fit, and the d = 0.9 fit must be the predicted mix.
    const X = twoMoons(64, 3);
    const o = { couplings: 2, hiddenUnits: 8, batchSize: 32, epochs: 1, learningRate: 0.05, seed: 4 };
    const flat = (m: FlowModel) =>
      m.toJSON().layers.flatMap((l) => (l.type === 'actnorm' ? [...l.loc, ...l.logScale] : l.params.flat()));
    const t2 = flat(fitRealNVP(X, o));
    const half = flat(fitRealNVP(X, { ...o, averaging: 0.5 }));
    const t1 = half.map((v, i) => (1.5 * v - (t2[i] as number)) / 0.5);
    const nine = flat(fitRealNVP(X, { ...o, averaging: 0.9 }));
    let err = 0;
    let moved = 0;
    nine.forEach((v, i) => {
      err = Math.max(err, Math.abs(v - (0.9 * (t1[i] as number) + (t2[i] as number)) / 1.9));
      moved = Math.max(moved, Math.abs((t2[i] as number) - (t1[i] as number)));
    });
    expect(moved).toBeGreaterThan(1e-3); // the second step moved the parameters
    expect(err).toBeLessThan(1e-12);
    // one step: the debiased average is the iterate itself, whatever d
    const one = { ...o, batchSize: 64 };
    const plain = flat(fitRealNVP(X, one));
    flat(fitRealNVP(X, { ...one, averaging: 0.99 })).forEach((v, i) => {
      expect(Math.abs(v - (plain[i] as number))).toBeLessThan(1e-12);
    });
    for (const v of fitRealNVP(X, { ...o, epochs: 3, averaging: 0.5 }).logProb(X)) expect(Number.isFinite(v)).toBe(true);
  });

  test('JSON round trip is exact (logProb bit-identical)', () => {
    const X = twoMoons(64, 3);
    const model = fitRealNVP(X, { couplings: 2, hiddenUnits: 8, epochs: 2, batchSize: 16, seed: 4 });
    const back = FlowModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(back.logProb(X))).toEqual(Array.from(model.logProb(X)));
    expect(back.sample(5, { seed: 3 }).to2DArray()).toEqual(model.sample(5, { seed: 3 }).to2DArray());
  });

  test("base: 'mixture' fits, round-trips through JSON exactly and rejects a tampered base", () => {
    const X = twoMoons(64, 3);
    const model = fitRealNVP(X, { couplings: 2, hiddenUnits: 8, epochs: 2, batchSize: 16, seed: 4, base: 'mixture', baseComponents: 4 });
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(json.base.type).toBe('mixture');
    expect(json.base.means).toHaveLength(8);
    const back = FlowModel.fromJSON(json);
    expect(Array.from(back.logProb(X))).toEqual(Array.from(model.logProb(X)));
    expect(back.sample(5, { seed: 3 }).to2DArray()).toEqual(model.sample(5, { seed: 3 }).to2DArray());
    for (const [field, value] of [
      ['means', [1, 2]],
      ['logScales', [...json.base.logScales.slice(1), 'x']],
      ['type', 'normal'],
    ] as const) {
      const j = JSON.parse(JSON.stringify(json));
      j.base[field] = value;
      expect(() => FlowModel.fromJSON(j)).toThrow(/base/);
    }
  });

  test('maximum likelihood on a correlated Gaussian approaches its entropy', () => {
    const rng = createRng(11);
    const rho = 0.8;
    const gen = (n: number) =>
      Array.from({ length: n }, () => {
        const a = rng.normal();
        const b = rng.normal();
        return [a, rho * a + Math.sqrt(1 - rho * rho) * b];
      });
    const train = gen(400);
    const test_ = gen(400);
    const model = fitRealNVP(train, { couplings: 4, hiddenUnits: 16, epochs: 40, batchSize: 100, learningRate: 5e-3, seed: 1 });
    const nll = -model.logProb(test_).reduce((s, v) => s + v, 0) / test_.length;
    const entropy = Math.log(2 * Math.PI * Math.E) + 0.5 * Math.log(1 - rho * rho);
    // sampling error of the held-out mean NLL is ~ 1/sqrt(400) ≈ 0.05
    expect(nll - entropy).toBeLessThan(0.15);
    const first = model.report.trace?.[0] as number;
    const last = model.report.trace?.at(-1) as number;
    expect(last).toBeLessThan(first);
  });

  test('fromJSON rejects a wrong layer count, type and non-finite parameters', () => {
    const json = fitRealNVP(twoMoons(32, 1), { couplings: 2, hiddenUnits: 4, epochs: 1, seed: 1 }).toJSON();
    const t = (mutate: (j: Record<string, unknown>) => void) => {
      const j = JSON.parse(JSON.stringify(json));
      mutate(j);
      return () => FlowModel.fromJSON(j);
    };
    expect(t((j) => (j.layers as unknown[]).pop())).toThrow(/layers/);
    expect(
      t((j) => {
        (j.layers as { type: string }[])[0] = { type: 'coupling' };
      }),
    ).toThrow(/type/);
    expect(
      t((j) => {
        (j.layers as { params: unknown[][] }[])[1]?.params[0]?.splice(0, 1, null);
      }),
    ).toThrow(/params\[0\]\[0\]/);
    expect(
      t((j) => {
        (j.config as Record<string, unknown>).scaleClamp = -1;
      }),
    ).toThrow(/scaleClamp/);
  });
});

describe('Normalizing Flows: conventions (check-kit)', () => {
  for (const c of checkEstimator({
    name: 'fitRealNVP',
    data: () => [twoMoons(48, 2)],
    fit: fitRealNVP,
    fitAsync: fitRealNVPAsync,
    options: { couplings: 2, hiddenUnits: 4, epochs: 2, batchSize: 16, seed: 1 },
    slowOptions: { couplings: 8, hiddenUnits: 32, epochs: 100000, batchSize: 48 },
    fromJSON: FlowModel.fromJSON,
    tamper: [
      { path: 'kind', value: 'Flow' },
      { path: 'version', value: 2 },
      { path: 'config.dimension', value: 1 },
      { path: 'config.couplings', value: 1.5 },
      { path: 'config.activation', value: 'gelu' },
      { path: 'config.actNorm', value: 'yes' },
      { path: 'layers.0.loc', value: [0] },
      { path: 'layers.0.logScale.1', value: null },
      { path: 'layers.1.params', value: [] },
      { path: 'layers.1.params.0.0', value: 'x' },
      { path: 'report.reason', value: 'done' },
      { path: 'config.base', value: 'flow' },
      { path: 'base.type', value: 'mixture' },
    ],
  })) {
    test(c.name, c.run);
  }
});

afterAll(() => {
  for (const a of abortLatencies) console.log(`abort latency ${a.name}: ${a.latencyMs.toFixed(1)} ms`);
});
