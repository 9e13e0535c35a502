/**
 * The inference kernel of causal attention (no autodiff tape): per head and block of query rows,
 * $S = QK^\top/\sqrt{d_h}$ on core's matmul kernel, a softmax over each row's visible keys $j \le t$ only
 * (one exponential per visible score, masked scores are never formed), and $PV$.
 */
import { matmul, matmulTransB } from '@notes/core-linalg';

/**
 * $\mathrm{softmax}(QK^\top/\sqrt{d_h} + \text{causal mask})\,V$ for every head, on row-major
 * [H, L, d_h] arrays; returns [H, L, d_h]. Equals the masked [H, L, L] computation up to rounding
 * (a masked score contributes exactly $0$ there). Scores are held for `block` query rows at a time.
 */
export function causalAttentionKernel(q: Float64Array, k: Float64Array, v: Float64Array, heads: number, length: number, headDim: number, block: number): Float64Array {
  const L = length;
  const dh = headDim;
  const out = new Float64Array(heads * L * dh);
  const scale = 1 / Math.sqrt(dh);
  const scores = new Float64Array(Math.min(block, L) * L);
  for (let h = 0; h < heads; h++) {
    const off = h * L * dh;
    for (let i0 = 0; i0 < L; i0 += block) {
      const i1 = Math.min(L, i0 + block);
      const rows = i1 - i0;
      const s = scores.subarray(0, rows * i1);
      matmulTransB(q.subarray(off + i0 * dh, off + i1 * dh), k.subarray(off, off + i1 * dh), rows, dh, i1, s);
      for (let r = 0; r < rows; r++) {
        const base = r * i1;
        const last = base + i0 + r; // query i0 + r sees keys 0..i0 + r
        let m = Number.NEGATIVE_INFINITY;
        for (let j = base; j <= last; j++) {
          const x = (s[j] as number) * scale;
          s[j] = x;
          if (x > m) m = x;
        }
        let z = 0;
        for (let j = base; j <= last; j++) {
          const e = Math.exp((s[j] as number) - m);
          s[j] = e;
          z += e;
        }
        for (let j = base; j <= last; j++) s[j] = (s[j] as number) / z;
        s.fill(0, last + 1, base + i1);
      }
      matmul(s, v.subarray(off, off + i1 * dh), rows, i1, dh, out.subarray(off + i0 * dh, off + i1 * dh));
    }
  }
  return out;
}
