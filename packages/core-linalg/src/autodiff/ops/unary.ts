/**
 * Elementwise unary ops. Each is one row of a table: the function $f$ and its derivative written in
 * terms of the input $x$ and the output $y = f(x)$, so the VJP is $\bar x = \bar y\, f'(x)$.
 */
import { checkTensor } from '../tensor.js';
import { makeOutput } from '../tape.js';
import type { Tensor } from '../tensor.js';

interface UnaryDef {
  f: (x: number) => number;
  /** $f'(x)$ given $x$ and $y = f(x)$. */
  df: (x: number, y: number) => number;
}

function sigmoidScalar(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const UNARY = {
  neg: { f: (x) => -x, df: () => -1 },
  exp: { f: Math.exp, df: (_x, y) => y },
  log: { f: Math.log, df: (x) => 1 / x },
  log1p: { f: Math.log1p, df: (x) => 1 / (1 + x) },
  sqrt: { f: Math.sqrt, df: (_x, y) => 0.5 / y },
  square: { f: (x) => x * x, df: (x) => 2 * x },
  abs: { f: Math.abs, df: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0) },
  tanh: { f: Math.tanh, df: (_x, y) => 1 - y * y },
  sin: { f: Math.sin, df: (x) => Math.cos(x) },
  cos: { f: Math.cos, df: (x) => -Math.sin(x) },
  sigmoid: { f: sigmoidScalar, df: (_x, y) => y * (1 - y) },
  relu: { f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0) },
  // softplus(x) = max(x, 0) + log1p(exp(-|x|)) (no overflow); derivative σ(x)
  softplus: { f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), df: (x) => sigmoidScalar(x) },
} satisfies Record<string, UnaryDef>;

type UnaryName = keyof typeof UNARY;

function unary(name: UnaryName, x: Tensor): Tensor {
  checkTensor(name, 'x', x);
  const { f, df } = UNARY[name] as UnaryDef;
  const a = x.data;
  const n = a.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = f(a[i]);
  return makeOutput(name, y, x.shape, [x], (g) => {
    const gx = new Float64Array(n);
    for (let i = 0; i < n; i++) gx[i] = g[i] * df(a[i], y[i]);
    return [gx];
  }, true);
}

/** ReLU is the hot activation of CNNs: the same table row, with the loops inlined. */
function reluFast(x: Tensor): Tensor {
  checkTensor('relu', 'x', x);
  const a = x.data;
  const n = a.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.max(a[i], 0);
  return makeOutput('relu', y, x.shape, [x], (g) => {
    const gx = new Float64Array(n);
    for (let i = 0; i < n; i++) if (a[i] > 0) gx[i] = g[i];
    return [gx];
  }, true);
}

/**
 * The hot activations (tanh, exp, sigmoid, softplus, square) as monomorphic loops: the same table rows,
 * written out so that no per-element call goes through the table (2–3× faster in V8).
 */
function tanhFast(x: Tensor): Tensor {
  checkTensor('tanh', 'x', x);
  const a = x.data;
  const n = a.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.tanh(a[i]);
  return makeOutput('tanh', y, x.shape, [x], (g) => {
    const gx = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = y[i];
      gx[i] = g[i] * (1 - t * t);
    }
    return [gx];
  }, true);
}

function expFast(x: Tensor): Tensor {
  checkTensor('exp', 'x', x);
  const a = x.data;
  const n = a.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.exp(a[i]);
  return makeOutput('exp', y, x.shape, [x], (g) => {
    const gx = new Float64Array(n);
    for (let i = 0; i < n; i++) gx[i] = g[i] * y[i];
    return [gx];
  }, true);
}

function squareFast(x: Tensor): Tensor {
  checkTensor('square', 'x', x);
  const a = x.data;
  const n = a.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = a[i] * a[i];
  return makeOutput('square', y, x.shape, [x], (g) => {
    const gx = new Float64Array(n);
    for (let i = 0; i < n; i++) gx[i] = 2 * a[i] * g[i];
    return [gx];
  }, true);
}

function sigmoidFast(x: Tensor): Tensor {
  checkTensor('sigmoid', 'x', x);
  const a = x.data;
  const n = a.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = sigmoidScalar(a[i]);
  return makeOutput('sigmoid', y, x.shape, [x], (g) => {
    const gx = new Float64Array(n);
    for (let i = 0; i < n; i++) gx[i] = g[i] * y[i] * (1 - y[i]);
    return [gx];
  }, true);
}

/** softplus with e^{-|x|} computed once and reused for the derivative σ(x) in the backward pass. */
function softplusFast(x: Tensor): Tensor {
  checkTensor('softplus', 'x', x);
  const a = x.data;
  const n = a.length;
  const y = new Float64Array(n);
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = a[i];
    const t = Math.exp(-Math.abs(v));
    e[i] = t;
    y[i] = Math.max(v, 0) + Math.log1p(t);
  }
  return makeOutput('softplus', y, x.shape, [x], (g) => {
    const gx = new Float64Array(n);
    // σ(x) = 1/(1 + e^{-x}) for x ≥ 0, e^{x}/(1 + e^{x}) for x < 0; with t = e^{-|x|} both read t-only
    for (let i = 0; i < n; i++) {
      const t = e[i];
      gx[i] = (g[i] * (a[i] >= 0 ? 1 : t)) / (1 + t);
    }
    return [gx];
  }, true);
}

/** $-x$. */
export const neg = (x: Tensor): Tensor => unary('neg', x);
/** $e^x$; VJP $\bar y\, e^x$. */
export const exp = (x: Tensor): Tensor => expFast(x);
/** $\log x$ (NaN for x < 0, −∞ at 0); VJP $\bar y / x$. */
export const log = (x: Tensor): Tensor => unary('log', x);
/** $\log(1 + x)$, accurate near 0; VJP $\bar y / (1 + x)$. */
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
/** $\sqrt x$; VJP $\bar y / (2\sqrt x)$ (infinite at 0). */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
/** $x^2$; VJP $2x\bar y$. */
export const square = (x: Tensor): Tensor => squareFast(x);
/** $|x|$; VJP $\operatorname{sign}(x)\bar y$ (0 at 0). */
export const abs = (x: Tensor): Tensor => unary('abs', x);
/** $\tanh x$; VJP $(1 - y^2)\bar y$. */
export const tanh = (x: Tensor): Tensor => tanhFast(x);
/** $\sin x$ (the Hyena filter's activation); VJP $\cos(x)\,\bar y$. */
export const sin = (x: Tensor): Tensor => unary('sin', x);
/** $\cos x$; VJP $-\sin(x)\,\bar y$. */
export const cos = (x: Tensor): Tensor => unary('cos', x);
/** $\sigma(x) = 1/(1+e^{-x})$, computed without overflow; VJP $y(1-y)\bar y$. */
export const sigmoid = (x: Tensor): Tensor => sigmoidFast(x);
/** $\max(x, 0)$; VJP $\bar y\,[x > 0]$. */
export const relu = (x: Tensor): Tensor => reluFast(x);
/** $\log(1 + e^x) = \max(x,0) + \log(1 + e^{-|x|})$; VJP $\sigma(x)\bar y$. */
export const softplus = (x: Tensor): Tensor => softplusFast(x);
