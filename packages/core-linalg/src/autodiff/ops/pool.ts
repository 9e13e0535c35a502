/**
 * Max and average pooling over 2-D windows of NCHW tensors (notes, "CNN": $A_{i,j} = \max_{m,n}
 * Y_{i s+m, j s+n}$ and $A_{i,j} = \frac{1}{MN}\sum_{m,n} Y_{is+m,js+n}$).
 */
import { DomainError, ShapeError } from '../../errors/index.js';
import { isRecording, makeOutput } from '../tape.js';
import { shapeStr, type Tensor, checkTensor } from '../tensor.js';
import { intPair } from './conv.js';

/** Options of the pooling ops. */
export interface Pool2dOptions {
  /** Step between windows. @defaultValue the kernel size */
  stride?: number | readonly [number, number];
  /** Padding on each side (ignored by max, counted as zeros by average, like PyTorch's default). @defaultValue 0 */
  padding?: number | readonly [number, number];
}

interface PoolGeom {
  NC: number;
  H: number;
  W: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  Ho: number;
  Wo: number;
}

function geom(where: string, x: Tensor, kernel: number | readonly [number, number], o: Pool2dOptions): PoolGeom {
  if (x.rank !== 4) throw new ShapeError(`${where}: input must be [N,C,H,W], got ${shapeStr(x.shape)}`);
  const [kh, kw] = intPair(where, "argument 'kernel'", kernel, 1);
  const [sh, sw] = intPair(where, "option 'stride'", o.stride ?? [kh, kw], 1);
  const [ph, pw] = intPair(where, "option 'padding'", o.padding ?? 0, 0);
  if (2 * ph > kh || 2 * pw > kw) throw new DomainError(`${where}: padding must be at most half the kernel, got ${ph},${pw} for ${kh}×${kw}`);
  const [N, C, H, W] = x.shape;
  const Ho = Math.floor((H + 2 * ph - kh) / sh) + 1;
  const Wo = Math.floor((W + 2 * pw - kw) / sw) + 1;
  if (Ho < 1 || Wo < 1) throw new ShapeError(`${where}: window ${kh}×${kw} is larger than the padded input ${shapeStr(x.shape)}`);
  return { NC: N * C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo };
}

/**
 * Max pooling; VJP routes each $\bar A_{ij}$ to the (first) maximising input.
 * @throws ShapeError for a non-4-D input or a window larger than it; DomainError for bad sizes.
 */
export function maxPool2d(x: Tensor, kernel: number | readonly [number, number], options: Pool2dOptions = {}): Tensor {
  checkTensor('maxPool2d', 'x', x);
  const g = geom('maxPool2d', x, kernel, options);
  const { NC, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo } = g;
  const out = new Float64Array(NC * Ho * Wo);
  const arg = isRecording([x]) ? new Int32Array(out.length) : null;
  const a = x.data;
  for (let p = 0; p < NC; p++) {
    for (let i = 0; i < Ho; i++) {
      for (let j = 0; j < Wo; j++) {
        let best = Number.NEGATIVE_INFINITY;
        let bi = -1;
        for (let m = 0; m < kh; m++) {
          const r = i * sh - ph + m;
          if (r < 0 || r >= H) continue;
          for (let n = 0; n < kw; n++) {
            const c = j * sw - pw + n;
            if (c < 0 || c >= W) continue;
            const idx = (p * H + r) * W + c;
            if (a[idx] > best || bi < 0) {
              best = a[idx];
              bi = idx;
            }
          }
        }
        const o = (p * Ho + i) * Wo + j;
        out[o] = best;
        if (arg) arg[o] = bi;
      }
    }
  }
  return makeOutput('maxPool2d', out, [x.shape[0], x.shape[1], Ho, Wo], [x], (gy) => {
    const gx = new Float64Array(x.size);
    if (arg) for (let o = 0; o < gy.length; o++) gx[arg[o]] += gy[o];
    return [gx];
  });
}

/**
 * Average pooling, $\frac{1}{k_h k_w}\sum$ over each window (padding counts as zeros); VJP spreads
 * $\bar A_{ij}/(k_h k_w)$ over the window.
 * @throws ShapeError for a non-4-D input or a window larger than it; DomainError for bad sizes.
 */
export function avgPool2d(x: Tensor, kernel: number | readonly [number, number], options: Pool2dOptions = {}): Tensor {
  checkTensor('avgPool2d', 'x', x);
  const { NC, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo } = geom('avgPool2d', x, kernel, options);
  const inv = 1 / (kh * kw);
  const sweep = (fn: (o: number, idx: number) => void): void => {
    for (let p = 0; p < NC; p++) {
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j++) {
          const o = (p * Ho + i) * Wo + j;
          for (let m = 0; m < kh; m++) {
            const r = i * sh - ph + m;
            if (r < 0 || r >= H) continue;
            for (let n = 0; n < kw; n++) {
              const c = j * sw - pw + n;
              if (c >= 0 && c < W) fn(o, (p * H + r) * W + c);
            }
          }
        }
      }
    }
  };
  const out = new Float64Array(NC * Ho * Wo);
  const a = x.data;
  sweep((o, idx) => {
    out[o] += a[idx] * inv;
  });
  return makeOutput('avgPool2d', out, [x.shape[0], x.shape[1], Ho, Wo], [x], (gy) => {
    const gx = new Float64Array(x.size);
    sweep((o, idx) => {
      gx[idx] += gy[o] * inv;
    });
    return [gx];
  });
}
