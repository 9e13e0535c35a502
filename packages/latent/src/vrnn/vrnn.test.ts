import { createRng, Tensor } from '@notes/core-linalg';
import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { afterAll, describe, expect, test } from 'vitest';
import { exampleLGSSM, kalmanLogLikelihood, sampleLGSSM } from './kalman.js';
import { fitRNNGaussian, fitRNNGaussianAsync, fitVRNN, fitVRNNAsync, klDiagonalGaussians, VRNNModel } from './vrnn.js';

describe('Kalman filter (the independent answer for the VRNN)', () => {
  test('equals the brute-force Gaussian marginal likelihood of the stacked observations (T = 5)', () => {
    const model = exampleLGSSM();
    const y = sampleLGSSM(model, 1, 5, createRng(2))[0] as number[][];
    // y = stack of C s_t + v_t: y ~ N(0, Σ) with Σ_{ts} = C Cov(s_t, s_s) Cᵀ + R δ_ts, Cov(s_t, s_s) = A^{t−s} P_s for t ≥ s
    const A = new Matrix(model.A);
    const C = new Matrix(model.C);
    const covs: Matrix[] = [new Matrix(model.P0)];
    for (let t = 1; t < 5; t++) covs.push(A.mmul(covs[t - 1] as Matrix).mmul(A.transpose()).add(new Matrix(model.Q)));
    const S = new Matrix(5, 5);
    for (let t = 0; t < 5; t++) {
      for (let s = 0; s <= t; s++) {
        let At = Matrix.eye(2);
        for (let k = s; k < t; k++) At = A.mmul(At);
        const v = C.mmul(At).mmul(covs[s] as Matrix).mmul(C.transpose()).get(0, 0) + (t === s ? 1 : 0);
        S.set(t, s, v);
        S.set(s, t, v);
      }
    }
    const yv = y.map((r) => r[0] as number);
    const L = S.clone();
    // log N(y | 0, S) via ml-matrix's Cholesky
    const ch = new CholeskyDecomposition(L);
    const a = ch.solve(Matrix.columnVector(yv));
    let quad = 0;
    for (let i = 0; i < 5; i++) quad += (yv[i] as number) * a.get(i, 0);
    let logDet = 0;
    for (let i = 0; i < 5; i++) logDet += 2 * Math.log(ch.lowerTriangularMatrix.get(i, i));
    const brute = -0.5 * (5 * Math.log(2 * Math.PI) + logDet + quad);
    expect(Math.abs(kalmanLogLikelihood(model, y) - brute)).toBeLessThan(1e-10);
  });
});

describe('VRNN', () => {
  test('per-step KL between diagonal Gaussians equals the Monte Carlo E_q[log q − log p] within 4 SE', () => {
    const mq = [0.3, -0.4];
    const vq = [-0.2, 0.5];
    const mp = [-0.1, 0.6];
    const vp = [0.4, -0.3];
    const kl = klDiagonalGaussians(Tensor.fromArray(mq, [1, 2]), Tensor.fromArray(vq, [1, 2]), Tensor.fromArray(mp, [1, 2]), Tensor.fromArray(vp, [1, 2])).data[0] as number;
    const r = createRng(3);
    const N = 40_000;
    let s = 0;
    let s2 = 0;
    for (let t = 0; t < N; t++) {
      let v = 0;
      for (let j = 0; j < 2; j++) {
        const e = r.normal();
        const z = (mq[j] as number) + Math.exp(0.5 * (vq[j] as number)) * e;
        const lq = -0.5 * (e * e + (vq[j] as number));
        const lp = -0.5 * ((z - (mp[j] as number)) ** 2 / Math.exp(vp[j] as number) + (vp[j] as number));
        v += lq - lp;
      }
      s += v;
      s2 += v * v;
    }
    const m = s / N;
    expect(Math.abs(m - kl)).toBeLessThan(4 * Math.sqrt((s2 / N - m * m) / N));
  });

  const model = exampleLGSSM();
  const train = sampleLGSSM(model, 24, 20, createRng(5));
  const base = { latentDim: 2, hidden: 8, features: 8, epochs: 3, batchSize: 8, seed: 1 };

  test('trains; ELBO ≤ importance-weighted bound; seeded runs identical; JSON exact; the RNN baseline runs; generate', async () => {
    const m = fitVRNN(train, { ...base, epochs: 15 });
    const tr = m.report.trace as number[];
    expect(tr.at(-1) as number).toBeLessThan(tr[0] as number);
    const again = fitVRNN(train, { ...base, epochs: 15 });
    expect(JSON.stringify({ ...again.toJSON(), report: 0 })).toBe(JSON.stringify({ ...m.toJSON(), report: 0 }));
    const back = VRNNModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(JSON.stringify(back.toJSON())).toBe(JSON.stringify(m.toJSON()));
    expect(back.elbo(train, { seed: 2 })).toBe(m.elbo(train, { seed: 2 }));
    const elbo = m.elbo(train, { samples: 20, seed: 3 });
    const ll = m.logLikelihood(train, { samples: 50, seed: 3 });
    expect(ll.mean).toBeGreaterThan(elbo);
    const rnn = fitRNNGaussian(train, base);
    expect(Number.isFinite(rnn.elbo(train))).toBe(true);
    expect(rnn.kind).toBe('rnn');
    const rj = VRNNModel.fromJSON(JSON.parse(JSON.stringify(rnn.toJSON())));
    expect(rj.elbo(train)).toBe(rnn.elbo(train));
    const rnnAsync = await fitRNNGaussianAsync(train, base);
    const strip = (j: unknown) => JSON.stringify(j, (k, v) => (k === 'elapsedMs' ? undefined : v));
    expect(strip(rnnAsync.toJSON())).toBe(strip(rnn.toJSON()));
    const g = m.generate(6, { count: 2, seed: 1 });
    expect(g.length).toBe(2);
    expect((g[0] as number[][]).length).toBe(6);
  });

  test('bad input is typed', () => {
    expect(() => fitVRNN([[[1], [2]], [[1]]], base)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitVRNN([[[1], [Number.NaN]]], base)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => fitVRNN(null as never, base)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitVRNN(train, { ...base, hiden: 3 } as never)).toThrow(/did you mean 'hidden'/);
    const m = fitVRNN(train, { ...base, epochs: 1 });
    expect(() => m.elbo([[[1, 2]]])).toThrow(expect.objectContaining({ code: 'shape' }));
    const j = JSON.parse(JSON.stringify(m.toJSON()));
    j.hidden = 9;
    expect(() => VRNNModel.fromJSON(j)).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  for (const c of checkEstimator({
    name: 'fitVRNN',
    data: () => [sampleLGSSM(exampleLGSSM(), 8, 10, createRng(1))],
    fit: fitVRNN,
    fitAsync: fitVRNNAsync,
    options: { latentDim: 1, hidden: 4, features: 4, epochs: 2, batchSize: 4, seed: 1 },
    slowOptions: { epochs: 1_000_000 },
    fromJSON: VRNNModel.fromJSON,
    tamper: [
      { path: 'minVariance', value: 0 },
      { path: 'nets.gru', value: null },
      { path: 'latentDim', value: 5 },
      { path: 'report.iterations', value: 'x' },
    ],
  } as never)) {
    test(c.name, c.run, 30_000);
  }
});

afterAll(() => {
  console.log(`abort latencies (ms): ${abortLatencies.map((a) => `${a.name} ${a.latencyMs.toFixed(1)}`).join(', ')}`);
});
