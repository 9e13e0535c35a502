/**
 * The Kalman filter's exact log-likelihood of a linear-Gaussian state-space model (the independent answer the
 * VRNN is compared with): $s_{t+1} = A s_t + w_t$, $w_t\sim\mathcal N(0, Q)$, $y_t = C s_t + v_t$, $v_t\sim\mathcal N(0, R)$,
 * $s_1\sim\mathcal N(m_0, P_0)$; $\log p(y_{1:T}) = \sum_t \log\mathcal N(y_t\mid C\hat s_{t\mid t-1}, CP_{t\mid t-1}C^\top + R)$.
 */
import { cholesky, DomainError, type RowMajorMatrix, readMatrix, readVector } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { readCount, readRng } from '../discrete/validate.js';

/** A linear-Gaussian state-space model (state n, observation m). */
export interface LinearGaussianSSM {
  /** n×n transition. */
  A: number[][];
  /** n×n process-noise covariance. */
  Q: number[][];
  /** m×n observation matrix. */
  C: number[][];
  /** m×m observation-noise covariance. */
  R: number[][];
  /** Initial state mean (length n). */
  m0: number[];
  /** Initial state covariance n×n. */
  P0: number[][];
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Exact $\log p(y_{1:T})$ of one observation sequence `y` (T×m) under `model`, by the Kalman filter (Joseph-form
 * covariance update, Cholesky of the innovation covariance).
 * @throws ShapeError/DomainError for bad shapes or values; NotPositiveDefiniteError for a non-PD innovation covariance.
 */
export function kalmanLogLikelihood(model: LinearGaussianSSM, y: number[][]): number {
  const where = 'kalmanLogLikelihood';
  checkModel(where, model);
  const Ad = readMatrix(where, 'model.A', model.A);
  const n = Ad.rows;
  const A = new Matrix(model.A);
  const Q = new Matrix(readRows(where, 'model.Q', model.Q, n, n));
  const Cd = readMatrix(where, 'model.C', model.C, { columns: n });
  const m = Cd.rows;
  const C = new Matrix(model.C);
  const R = new Matrix(readRows(where, 'model.R', model.R, m, m));
  let s = Matrix.columnVector(Array.from(readVector(where, 'model.m0', model.m0, { length: n })));
  let P = new Matrix(readRows(where, 'model.P0', model.P0, n, n));
  const Y = readMatrix(where, 'y', y, { columns: m });
  let ll = 0;
  for (let t = 0; t < Y.rows; t++) {
    const yt = Matrix.columnVector(Array.from(Y.data.subarray(t * m, (t + 1) * m)));
    const S = C.mmul(P).mmul(C.transpose()).add(R);
    const f = cholesky(S, { jitter: 0 });
    const r = yt.sub(C.mmul(s));
    const a = f.solve(Array.from(r.to1DArray()));
    let quad = 0;
    for (let i = 0; i < m; i++) quad += (r.get(i, 0) as number) * (a[i] as number);
    ll += -0.5 * (m * LOG_2PI + f.logDet() + quad);
    if (!Number.isFinite(ll)) throw new DomainError(`${where}: the log-likelihood overflows float64 at step ${t}; rescale the data`);
    // update: K = P Cᵀ S⁻¹, s = s + K r, P = (I − KC) P (I − KC)ᵀ + K R Kᵀ
    const PCt = P.mmul(C.transpose());
    const K = new Matrix(n, m);
    for (let j = 0; j < n; j++) {
      const col = f.solve(PCt.getRow(j));
      for (let i = 0; i < m; i++) K.set(j, i, col[i] as number);
    }
    s = s.add(K.mmul(r));
    const IKC = Matrix.eye(n).sub(K.mmul(C)); // ml-matrix add/sub work in place: a fresh identity each step
    P = IKC.mmul(P).mmul(IKC.transpose()).add(K.mmul(R).mmul(K.transpose()));
    // predict
    s = A.mmul(s);
    P = A.mmul(P).mmul(A.transpose()).add(Q);
  }
  return ll;
}

/** Validates every field of a model (shapes, finite values; covariances are checked PD when factorised). */
function checkModel(where: string, model: LinearGaussianSSM): void {
  if (typeof model !== 'object' || model === null) throw new DomainError(`${where}: argument 'model' must be { A, Q, C, R, m0, P0 }`);
  const n = readMatrix(where, 'model.A', model.A).rows;
  readMatrix(where, 'model.A', model.A, { columns: n });
  readRows(where, 'model.Q', model.Q, n, n);
  const m = readMatrix(where, 'model.C', model.C, { columns: n }).rows;
  readRows(where, 'model.R', model.R, m, m);
  readVector(where, 'model.m0', model.m0, { length: n });
  readRows(where, 'model.P0', model.P0, n, n);
}

function readRows(where: string, name: string, v: unknown, r: number, c: number): number[][] {
  const M = readMatrix(where, name, v, { rows: r, columns: c });
  return Array.from({ length: r }, (_, i) => Array.from(M.data.subarray(i * c, (i + 1) * c)));
}

/**
 * The LGSSM, A = [[0.7, 0.8], [0, 0.1]], B = [−1, 0.1]ᵀ, C = [1, 0], Var w = 0.25 I, Var v = 1, with the
 * input u_t ~ N(0, 25/12) (the variance of U(−2.5, 2.5)) folded into the process noise Q = 0.25 I + B Bᵀ·25/12 so
 * that the model is exactly linear-Gaussian (with uniform u the Kalman filter would only be the best linear
 * predictor). Stationary start.
 */
export function exampleLGSSM(): LinearGaussianSSM {
  const vu = 25 / 12;
  const B = [-1, 0.1];
  const Q = [
    [0.25 + vu * (B[0] as number) * (B[0] as number), vu * (B[0] as number) * (B[1] as number)],
    [vu * (B[0] as number) * (B[1] as number), 0.25 + vu * (B[1] as number) * (B[1] as number)],
  ];
  const A = [
    [0.7, 0.8],
    [0, 0.1],
  ];
  // stationary covariance: P = A P Aᵀ + Q by fixed-point iteration (spectral radius 0.7)
  let P = new Matrix(Q);
  const Am = new Matrix(A);
  for (let i = 0; i < 500; i++) P = Am.mmul(P).mmul(Am.transpose()).add(new Matrix(Q));
  return { A, Q, C: [[1, 0]], R: [[1]], m0: [0, 0], P0: P.to2DArray() };
}

/** Draws `count` observation sequences of length T from a state-space model (seeded). */
export function sampleLGSSM(model: LinearGaussianSSM, count: number, T: number, rng: { normal(): number }): number[][][] {
  const where = 'sampleLGSSM';
  checkModel(where, model);
  readCount(where, 'count', count, 1, 1e6);
  readCount(where, 'T', T, 1, 1e7);
  readRng(where, rng);
  const n = model.A.length;
  const m = model.C.length;
  const LQ = cholesky(new Matrix(model.Q)).L;
  const LR = cholesky(new Matrix(model.R)).L;
  const LP = cholesky(new Matrix(model.P0)).L;
  const draw = (L: RowMajorMatrix, k: number) => {
    const e = Array.from({ length: k }, () => rng.normal());
    return Array.from({ length: k }, (_, i) => e.reduce((acc, v, j) => acc + (j <= i ? L.get(i, j) * v : 0), 0));
  };
  const out = Array.from({ length: count }, () => {
    let s = draw(LP, n).map((v, i) => v + (model.m0[i] as number));
    const ys: number[][] = [];
    for (let t = 0; t < T; t++) {
      const v = draw(LR, m);
      ys.push(model.C.map((row, i) => row.reduce((acc, c, j) => acc + c * (s[j] as number), 0) + (v[i] as number)));
      const w = draw(LQ, n);
      s = model.A.map((row, i) => row.reduce((acc, a, j) => acc + a * (s[j] as number), 0) + (w[i] as number));
    }
    return ys;
  });
  for (const seq of out) for (const row of seq) for (const v of row) if (!Number.isFinite(v)) throw new DomainError(`${where}: a draw overflows float64; check the model`);
  return out;
}
