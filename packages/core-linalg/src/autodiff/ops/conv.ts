/**
 * Convolutions (cross-correlation, as in the notes and PyTorch) in NCHW layout, with stride, zero
 * padding and groups. Grouped convolutions go through im2col + core's matmul kernel; depthwise
 * ones (one input and one output channel per group) use direct loops, which beat im2col there.
 *
 * Notes, "CNN / Convolution": $Y_{n,o,h,w} = \sum_{c}\sum_{m,k} X_{n,c,\,hs+m-p,\,ws+k-p}\,W_{o,c,m,k}$;
 * depthwise = `groups = C` (notes: $Y_{n,h,w,c} = \sum_{m,k} X_{n,h+m,w+k,c}W_{m,k,c}$), pointwise =
 * 1×1 kernel; depthwise-separable = pointwise ∘ depthwise (Howard et al., MobileNets, 2017).
 */
import { DomainError, ShapeError, describeValue } from '../../errors/index.js';
import { matmul as gemm, matmulTransA, matmulTransB } from '../../linalg/index.js';
import { makeOutput } from '../tape.js';
import { shapeStr, type Tensor, checkTensor } from '../tensor.js';
import { reshape } from './shape.js';

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** Step between output positions, one number or [height, width]. @defaultValue 1 */
  stride?: number | readonly [number, number];
  /** Zeros added on each side, one number or [height, width]. @defaultValue 0 */
  padding?: number | readonly [number, number];
  /** Channel groups: input and output channels split into `groups` independent convolutions. @defaultValue 1 */
  groups?: number;
}

interface Geometry {
  N: number;
  C: number;
  H: number;
  W: number;
  O: number;
  Cg: number;
  Og: number;
  G: number;
  KH: number;
  KW: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  Ho: number;
  Wo: number;
}

/**
 * @internal a size given as `n` or `[h, w]`, as a pair of integers ≥ `min` (also used by pooling).
 * @throws DomainError naming `what` (e.g. "option 'stride'") otherwise.
 */
export function intPair(where: string, what: string, v: number | readonly [number, number], min: number): [number, number] {
  if (typeof v !== 'number' && !(Array.isArray(v) && v.length === 2)) {
    throw new DomainError(`${where}: ${what} must be an integer or a pair [h, w], got ${describeValue(v)}`);
  }
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  for (const q of p) {
    // sizes above 2^24 cannot be honoured by any tensor within the memory budget
    if (!Number.isSafeInteger(q) || q < min || q > 2 ** 24) {
      throw new DomainError(`${where}: ${what} must be an integer in [${min}, 2^24], got ${describeValue(q)}`);
    }
  }
  return p;
}

function geometry(x: Tensor, w: Tensor, o: Conv2dOptions): Geometry {
  if (x.rank !== 4 || w.rank !== 4) {
    throw new ShapeError(`conv2d: input must be [N,C,H,W] and weight [O,C/groups,KH,KW], got ${shapeStr(x.shape)} and ${shapeStr(w.shape)}`);
  }
  const [N, C, H, W] = x.shape;
  const [O, Cg, KH, KW] = w.shape;
  const G = o.groups ?? 1;
  if (!Number.isInteger(G) || G < 1 || C % G !== 0 || O % G !== 0 || Cg !== C / G) {
    throw new ShapeError(`conv2d: input ${shapeStr(x.shape)} and weight ${shapeStr(w.shape)} do not match groups = ${G} (need C = groups·weight[1], O divisible by groups)`);
  }
  const [sh, sw] = intPair('conv2d', "option 'stride'", o.stride ?? 1, 1);
  const [ph, pw] = intPair('conv2d', "option 'padding'", o.padding ?? 0, 0);
  const Ho = Math.floor((H + 2 * ph - KH) / sh) + 1;
  const Wo = Math.floor((W + 2 * pw - KW) / sw) + 1;
  if (Ho < 1 || Wo < 1) throw new ShapeError(`conv2d: kernel ${KH}×${KW} is larger than the padded input ${shapeStr(x.shape)}`);
  return { N, C, H, W, O, Cg, Og: O / G, G, KH, KW, sh, sw, ph, pw, Ho, Wo };
}

/** Output columns `ow` whose input column `ow·s − p + k` lies in [0, W). */
function validRange(k: number, s: number, p: number, W: number, Wo: number): [number, number] {
  const lo = Math.max(0, Math.ceil((p - k) / s));
  const hi = Math.min(Wo - 1, Math.floor((W - 1 + p - k) / s));
  return [lo, hi];
}

/** cols[(c·KH+kh)·KW+kw, (n·Ho+oh)·Wo+ow] = x[n, g·Cg+c, oh·sh−ph+kh, ow·sw−pw+kw] (0 outside). */
function im2col(x: Float64Array, g: Geometry, group: number, back: Float64Array | null, cols: Float64Array): void {
  const { N, C, H, W, Cg, KH, KW, sh, sw, ph, pw, Ho, Wo } = g;
  const P = N * Ho * Wo;
  for (let c = 0; c < Cg; c++) {
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const row = ((c * KH + kh) * KW + kw) * P;
        const [lo, hi] = validRange(kw, sw, pw, W, Wo);
        for (let n = 0; n < N; n++) {
          const plane = (n * C + group * Cg + c) * H * W;
          for (let oh = 0; oh < Ho; oh++) {
            const ih = oh * sh - ph + kh;
            if (ih < 0 || ih >= H) continue;
            const src = plane + ih * W - pw + kw;
            const dst = row + (n * Ho + oh) * Wo;
            if (back === null) for (let ow = lo; ow <= hi; ow++) cols[dst + ow] = x[src + ow * sw];
            else for (let ow = lo; ow <= hi; ow++) back[src + ow * sw] += cols[dst + ow];
          }
        }
      }
    }
  }
}

function convGemm(x: Tensor, w: Tensor, g: Geometry): Tensor {
  const { N, O, Cg, Og, G, KH, KW, Ho, Wo } = g;
  const P = N * Ho * Wo;
  const HWo = Ho * Wo;
  const K = Cg * KH * KW;
  const out = new Float64Array(N * O * HWo);
  const cols: Float64Array[] = [];
  for (let gr = 0; gr < G; gr++) {
    const col = new Float64Array(K * P);
    im2col(x.data, g, gr, null, col);
    cols.push(col);
    const y = gemm(w.data.subarray(gr * Og * K, (gr + 1) * Og * K), col, Og, K, P);
    for (let j = 0; j < Og; j++) {
      const o = gr * Og + j;
      for (let n = 0; n < N; n++) out.set(y.subarray(j * P + n * HWo, j * P + (n + 1) * HWo), (n * O + o) * HWo);
    }
  }
  return makeOutput('conv2d', out, [N, O, Ho, Wo], [x, w], (gy, needs) => {
    const gx = needs[0] ? new Float64Array(x.size) : null;
    const gw = needs[1] ? new Float64Array(w.size) : null;
    const Gg = new Float64Array(Og * P);
    for (let gr = 0; gr < G; gr++) {
      for (let j = 0; j < Og; j++) {
        const o = gr * Og + j;
        for (let n = 0; n < N; n++) Gg.set(gy.subarray((n * O + o) * HWo, (n * O + o + 1) * HWo), j * P + n * HWo);
      }
      const Wg = w.data.subarray(gr * Og * K, (gr + 1) * Og * K);
      // W̄_g = Ḡ_g colsᵀ ; cols̄ = W_gᵀ Ḡ_g, folded back by col2im
      if (gw) gw.set(matmulTransB(Gg, cols[gr], Og, P, K), gr * Og * K);
      if (gx) im2col(x.data, g, gr, gx, matmulTransA(Wg, Gg, K, Og, P));
    }
    return [gx, gw];
  });
}

function convDepthwise(x: Tensor, w: Tensor, g: Geometry): Tensor {
  const { N, C, H, W, O, Og, KH, KW, sh, sw, ph, pw, Ho, Wo } = g;
  const xd = x.data;
  const wd = w.data;
  const out = new Float64Array(N * O * Ho * Wo);
  // visit(n, c, o, kh, kw, oh, ow-range): the shared loop nest of forward and backward
  const sweep = (fn: (xp: number, op: number, wi: number, lo: number, hi: number) => void): void => {
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        const xp0 = (n * C + c) * H * W;
        for (let j = 0; j < Og; j++) {
          const o = c * Og + j;
          const op0 = (n * O + o) * Ho * Wo;
          for (let kh = 0; kh < KH; kh++) {
            for (let kw = 0; kw < KW; kw++) {
              const wi = (o * KH + kh) * KW + kw;
              const [lo, hi] = validRange(kw, sw, pw, W, Wo);
              for (let oh = 0; oh < Ho; oh++) {
                const ih = oh * sh - ph + kh;
                if (ih < 0 || ih >= H) continue;
                fn(xp0 + ih * W - pw + kw, op0 + oh * Wo, wi, lo, hi);
              }
            }
          }
        }
      }
    }
  };
  sweep((xp, op, wi, lo, hi) => {
    const wv = wd[wi];
    for (let ow = lo; ow <= hi; ow++) out[op + ow] += wv * xd[xp + ow * sw];
  });
  return makeOutput('conv2d', out, [N, O, Ho, Wo], [x, w], (gy, needs) => {
    const gx = needs[0] ? new Float64Array(x.size) : null;
    const gw = needs[1] ? new Float64Array(w.size) : null;
    sweep((xp, op, wi, lo, hi) => {
      if (gx) {
        const wv = wd[wi];
        for (let ow = lo; ow <= hi; ow++) gx[xp + ow * sw] += wv * gy[op + ow];
      }
      if (gw) {
        let s = 0;
        for (let ow = lo; ow <= hi; ow++) s += gy[op + ow] * xd[xp + ow * sw];
        gw[wi] += s;
      }
    });
    return [gx, gw];
  });
}

/**
 * 2-D convolution (cross-correlation) of `x` [N, C, H, W] with `w` [O, C/groups, KH, KW]:
 * $Y_{n,o,i,j} = \sum_{c \in \text{group}(o)}\sum_{m,k} X_{n,c,\,i s_h + m - p_h,\,j s_w + k - p_w} W_{o,c,m,k}$,
 * output [N, O, ⌊(H+2p_h−KH)/s_h⌋+1, ⌊(W+2p_w−KW)/s_w⌋+1]. `groups = C` is a depthwise convolution,
 * a 1×1 kernel a pointwise one. VJPs: $\bar W = \bar Y\,\text{cols}^\top$, $\bar X = \text{col2im}(W^\top \bar Y)$.
 * @throws ShapeError naming both shapes if channels/groups do not match or the kernel is too large.
 * @throws DomainError for a bad stride or padding.
 */
export function conv2d(x: Tensor, w: Tensor, options: Conv2dOptions = {}): Tensor {
  checkTensor('conv2d', 'x', x);
  checkTensor('conv2d', 'w', w);
  const g = geometry(x, w, options);
  return g.Cg === 1 && g.Og === 1 ? convDepthwise(x, w, g) : convGemm(x, w, g);
}

/** Options of {@link conv1d}. */
export interface Conv1dOptions {
  /** @defaultValue 1 */
  stride?: number;
  /** Zeros added on each side. @defaultValue 0 */
  padding?: number;
  /** @defaultValue 1 */
  groups?: number;
}

/**
 * 1-D convolution of `x` [N, C, L] with `w` [O, C/groups, K] (notes:
 * $Y_{n,o,l} = \sum_{c}\sum_k X_{n,c,l+k}W_{o,c,k}$, plus stride/padding/groups), computed as a
 * conv2d with height 1.
 * @throws ShapeError naming both shapes on a mismatch.
 */
export function conv1d(x: Tensor, w: Tensor, options: Conv1dOptions = {}): Tensor {
  checkTensor('conv1d', 'x', x);
  checkTensor('conv1d', 'w', w);
  if (x.rank !== 3 || w.rank !== 3) {
    throw new ShapeError(`conv1d: input must be [N,C,L] and weight [O,C/groups,K], got ${shapeStr(x.shape)} and ${shapeStr(w.shape)}`);
  }
  const y = conv2d(reshape(x, [x.shape[0], x.shape[1], 1, x.shape[2]]), reshape(w, [w.shape[0], w.shape[1], 1, w.shape[2]]), {
    stride: [1, options.stride ?? 1],
    padding: [0, options.padding ?? 0],
    groups: options.groups ?? 1,
  });
  return reshape(y, [y.shape[0], y.shape[1], y.shape[3]]);
}
