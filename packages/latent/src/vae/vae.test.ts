import { createRng, MLP, ops, Tensor, variableGrads } from '@notes/core-linalg';
import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { afterAll, describe, expect, test } from 'vitest';
import { fitVAE, fitVAEAsync, klDiagonalGaussian, logMeanExp, VAEModel, vaeBounds } from './vae.js';

/** Tiny binary data: two prototypes with 10 % flipped pixels. */
function binaryData(n: number, seed: number): number[][] {
  const r = createRng(seed);
  const protos = [
    [1, 1, 1, 0, 0, 0, 1, 0],
    [0, 0, 1, 1, 1, 1, 0, 1],
  ];
  return Array.from({ length: n }, (_, i) => (protos[i % 2] as number[]).map((v) => (r.uniform() < 0.1 ? 1 - v : v)));
}

describe('VAE: analytic KL, log-mean-exp', () => {
  test('KL(N(μ, diag e^v) ‖ N(0, I)) closed form equals the Monte Carlo E_q[log q − log p] within 4 SE (and is ≥ 0; the notes print −KL)', () => {
    const mu = [0.7, -1.2, 0.1];
    const lv = [-0.5, 0.8, 0.0];
    const kl = klDiagonalGaussian(Tensor.fromArray(mu, [1, 3]), Tensor.fromArray(lv, [1, 3])).data[0] as number;
    expect(kl).toBeGreaterThan(0);
    const r = createRng(4);
    const N = 40_000;
    let s = 0;
    let s2 = 0;
    for (let t = 0; t < N; t++) {
      let v = 0;
      for (let j = 0; j < 3; j++) {
        const e = r.normal();
        const z = (mu[j] as number) + Math.exp(0.5 * (lv[j] as number)) * e;
        // log q − log p = −½(e² + v) + ½ z²
        v += -0.5 * (e * e + (lv[j] as number)) + 0.5 * z * z;
      }
      s += v;
      s2 += v * v;
    }
    const m = s / N;
    const se = Math.sqrt((s2 / N - m * m) / N);
    expect(Math.abs(m - kl)).toBeLessThan(4 * se);
    // the notes' printed formula ½Σ(1 + v − μ² − e^v) is exactly −KL
    const notes = 0.5 * mu.reduce((a, m0, j) => a + 1 + (lv[j] as number) - m0 * m0 - Math.exp(lv[j] as number), 0);
    expect(notes).toBeCloseTo(-kl, 14);
  });

  test('log-mean-exp is exact for weights spanning 1,000 nats', () => {
    const a = Tensor.fromArray([0, -1000, -500, -1000], [4, 1]);
    expect(logMeanExp(a).data[0]).toBeCloseTo(Math.log(1 + Math.exp(-500) + 2 * Math.exp(-1000)) - Math.log(4), 14);
    const b = Tensor.fromArray([1000, 0], [2, 1]);
    expect(logMeanExp(b).data[0]).toBeCloseTo(1000 - Math.log(2), 10);
  });
});

describe('VAE / IWAE bounds and gradients', () => {
  const cfg = { dimension: 8, latentDim: 2, hidden: [6], activation: 'tanh' as const, likelihood: 'bernoulli' as const };
  const enc = new MLP([8, 6, 4], { activation: 'tanh', seed: 1 });
  const dec = new MLP([2, 6, 8], { activation: 'tanh', seed: 2 });
  const X = binaryData(6, 3);
  const x = Tensor.fromArray(X.flat(), [6, 8]);

  test('gradients of the ELBO and IWAE objectives equal central differences with the noise fixed', () => {
    const r = createRng(7);
    const k = 4;
    const eps = Tensor.fromArray(Array.from({ length: k * 6 * 2 }, () => r.normal()), [k, 6, 2]);
    const params = [...enc.parameters(), ...dec.parameters()];
    for (const which of ['elbo', 'iwae'] as const) {
      const f = () => ops.mean(vaeBounds(enc, dec, cfg, x, eps)[which]);
      const { grads } = variableGrads(f, params);
      let worst = 0;
      for (let p = 0; p < params.length; p++) {
        const t = params[p] as Tensor;
        for (const i of [0, Math.floor(t.size / 2), t.size - 1]) {
          const old = t.data[i] as number;
          const h = 1e-5;
          (t.data as Float64Array)[i] = old + h;
          const up = f().data[0] as number;
          (t.data as Float64Array)[i] = old - h;
          const down = f().data[0] as number;
          (t.data as Float64Array)[i] = old;
          const fd = (up - down) / (2 * h);
          worst = Math.max(worst, Math.abs(fd - ((grads[p] as Tensor).data[i] as number)) / Math.max(1, Math.abs(fd)));
        }
      }
      expect(worst).toBeLessThan(1e-7);
    }
  });

  test('IWAE bound ≥ ELBO and non-decreasing in k (means over 400 draws, 4 SE)', () => {
    const r = createRng(11);
    const mean = (k: number) => {
      const vals: number[] = [];
      for (let t = 0; t < 400; t++) {
        const eps = Tensor.fromArray(Array.from({ length: k * 6 * 2 }, () => r.normal()), [k, 6, 2]);
        vals.push(...vaeBounds(enc, dec, cfg, x, eps).iwae.data);
      }
      const m = vals.reduce((a, b) => a + b, 0) / vals.length;
      const se = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / (vals.length - 1) / vals.length);
      return { m, se };
    };
    // k = 1: the IWAE bound is the ELBO with a Monte Carlo KL; compare with the analytic-KL ELBO
    const epsOne = Tensor.fromArray(Array.from({ length: 2000 * 6 * 2 }, () => r.normal()), [2000, 6, 2]);
    const elbo = (vaeBounds(enc, dec, cfg, x, epsOne).elbo.data as Float64Array).reduce((a, b) => a + b, 0) / 6;
    const b1 = mean(1);
    const b5 = mean(5);
    const b50 = mean(50);
    expect(Math.abs(b1.m - elbo)).toBeLessThan(4 * b1.se + 0.02);
    expect(b5.m).toBeGreaterThan(b1.m - 4 * Math.hypot(b1.se, b5.se));
    expect(b50.m).toBeGreaterThan(b5.m - 4 * Math.hypot(b5.se, b50.se));
    expect(b50.m).toBeGreaterThan(b1.m);
  });
});

describe('fitVAE', () => {
  const X = binaryData(120, 5);
  const base = { latentDim: 2, hidden: [16], epochs: 3, batchSize: 20, seed: 3, lr: 3e-3 };

  test('trains: the bound improves; seeded runs identical; JSON round-trips exactly; IWAE-trained and binarised variants run', () => {
    const m = fitVAE(X, { ...base, epochs: 25 });
    const tr = m.report.trace as number[];
    expect(tr.at(-1) as number).toBeLessThan((tr[0] as number) - 0.5);
    expect(m.report.reason).toBe('completed');
    const again = fitVAE(X, { ...base, epochs: 25 });
    expect(JSON.stringify({ ...again.toJSON(), report: 0 })).toBe(JSON.stringify({ ...m.toJSON(), report: 0 }));
    const back = VAEModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(JSON.stringify(back.toJSON())).toBe(JSON.stringify(m.toJSON()));
    expect(back.elbo(X, { samples: 3, seed: 1 })).toBe(m.elbo(X, { samples: 3, seed: 1 }));
    const ll = m.logLikelihood(X, { samples: 200, seed: 2 });
    const el = m.elbo(X, { samples: 50, seed: 2 });
    expect(ll.mean).toBeGreaterThan(el);
    expect(ll.standardError).toBeGreaterThan(0);
    expect(m.encode(X.slice(0, 3)).mean.rows).toBe(3);
    expect(m.reconstruct(X.slice(0, 2)).columns).toBe(8);
    const S = m.sample(4, { seed: 1 });
    for (const v of S.to1DArray()) expect(v > 0 && v < 1).toBe(true);
    const iw = fitVAE(X, { ...base, objective: 'iwae', samples: 5, binarize: true });
    expect(Number.isFinite(iw.logLikelihood(X, { samples: 20 }).mean)).toBe(true);
    const g = fitVAE(X, { ...base, likelihood: 'gaussian' });
    expect(Number.isFinite(g.elbo(X))).toBe(true);
  });

  test('bad input is typed', () => {
    expect(() => fitVAE([[0.5, 2]], base)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => fitVAE(X, { ...base, latentDims: 2 } as never)).toThrow(/did you mean 'latentDim'/);
    expect(() => fitVAE(X, { ...base, likelihood: 'gaussian', binarize: true })).toThrow(expect.objectContaining({ code: 'domain' }));
    const m = fitVAE(X, { ...base, epochs: 1 });
    expect(() => m.encode([[1, 2]])).toThrow(expect.objectContaining({ code: 'domain' }));
    const j = JSON.parse(JSON.stringify(m.toJSON()));
    j.latentDim = 3;
    expect(() => VAEModel.fromJSON(j)).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  for (const c of checkEstimator({
    name: 'fitVAE',
    data: () => [binaryData(60, 2)],
    fit: fitVAE,
    fitAsync: fitVAEAsync,
    options: { latentDim: 2, hidden: [8], epochs: 2, batchSize: 20, seed: 1 },
    slowOptions: { epochs: 1_000_000 },
    fromJSON: VAEModel.fromJSON,
    tamper: [
      { path: 'latentDim', value: 0 },
      { path: 'likelihood', value: 'poisson' },
      { path: 'encoder.params', value: null },
      { path: 'report.reason', value: 'done' },
    ],
  } as never)) {
    test(c.name, c.run, 30_000);
  }
});

afterAll(() => {
  console.log(`abort latencies (ms): ${abortLatencies.map((a) => `${a.name} ${a.latencyMs.toFixed(1)}`).join(', ')}`);
});
