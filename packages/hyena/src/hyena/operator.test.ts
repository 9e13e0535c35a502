import { createRng, gradcheck, jacobian, noGrad, ops, sampleNormalArray, Tensor, variableGrads } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { CausalSelfAttention, HyenaFilter, HyenaOperator, HyenaProjection, hyenaMatrixForm, hyenaOperator, hyenaPositionalEncoding, hyenaRecurrence } from './index.js';

const randomInput = (L: number, D: number, seed: number) => new Tensor(sampleNormalArray(createRng(seed), L * D), [L, D]);

describe('Order-N hyena operator: the recurrence equals the matrix form D_xᴺ S_hᴺ ⋯ D_x¹ S_h¹ v', () => {
  test.each([
    [1, 16, 2],
    [2, 33, 3],
    [3, 64, 2],
  ])('N=%i, L=%i, D=%i', (order, L, width) => {
    const op = hyenaOperator({ width, order, maxLength: 64, seed: order });
    const { v, x, h, mixed } = noGrad(() => op.forwardDetailed(randomInput(L, width, 7)));
    const dense = hyenaMatrixForm(v, x, h);
    let err = 0;
    let scale = 0;
    for (let d = 0; d < width; d++) {
      for (let t = 0; t < L; t++) {
        err = Math.max(err, Math.abs(dense.get(d, t) - (mixed.data[d * L + t] as number)));
        scale = Math.max(scale, Math.abs(dense.get(d, t)));
      }
    }
    expect(err / scale).toBeLessThan(1e-12);
  });
});

describe('Hyena operator: causality and gradients', () => {
  test('∂y_t/∂u_s = 0 for s > t (autodiff Jacobian)', () => {
    const L = 10;
    const D = 2;
    const op = new HyenaOperator({ width: D, order: 2, maxLength: 16, seed: 3 });
    const J = jacobian((u) => op.forward(ops.reshape(u, [L, D])))(new Tensor(sampleNormalArray(createRng(1), L * D), [L * D]));
    let future = 0;
    let past = 0;
    for (let t = 0; t < L; t++) {
      for (let s = 0; s < L; s++) {
        for (let a = 0; a < D; a++) {
          for (let b = 0; b < D; b++) {
            const value = Math.abs(J.data[(t * D + a) * L * D + s * D + b] as number);
            if (s > t) future = Math.max(future, value);
            else past = Math.max(past, value);
          }
        }
      }
    }
    expect(future).toBeLessThan(1e-12);
    expect(past).toBeGreaterThan(1e-3);
  });

  test('gradcheck with respect to the input', () => {
    const op = new HyenaOperator({ width: 2, order: 2, maxLength: 8, seed: 5 });
    const result = gradcheck((u) => op.forward(u), [randomInput(6, 2, 2)]);
    expect(result.maxRelError).toBeLessThan(1e-6);
  });

  test('parameter gradients match central differences for every parameter tensor', () => {
    const op = new HyenaOperator({ width: 2, order: 2, maxLength: 8, seed: 9 });
    const u = randomInput(7, 2, 4);
    const w = new Tensor(sampleNormalArray(createRng(8), 14), [7, 2]);
    const loss = () => ops.sum(ops.mul(op.forward(u), w));
    const params = op.parameters();
    const { grads } = variableGrads(loss, params);
    const rng = createRng(10);
    const eps = 1e-6;
    let worst = 0;
    params.forEach((p, k) => {
      for (let trial = 0; trial < 3; trial++) {
        const i = Math.floor(rng.uniform() * p.size);
        const x0 = p.data[i] as number;
        p.data[i] = x0 + eps;
        const fp = noGrad(loss).item();
        p.data[i] = x0 - eps;
        const fm = noGrad(loss).item();
        p.data[i] = x0;
        const numeric = (fp - fm) / (2 * eps);
        const analytic = grads[k]!.data[i] as number;
        worst = Math.max(worst, Math.abs(numeric - analytic) / Math.max(1e-3, Math.abs(numeric)));
      }
    });
    expect(worst).toBeLessThan(1e-5);
  });

  test('toJSON/fromJSON round-trips the operator bit for bit', () => {
    const op = new HyenaOperator({ width: 3, order: 2, maxLength: 16, seed: 11 });
    const u = randomInput(9, 3, 1);
    const again = HyenaOperator.fromJSON(JSON.parse(JSON.stringify(op.toJSON())));
    expect(Array.from(noGrad(() => again.forward(u)).data)).toEqual(Array.from(noGrad(() => op.forward(u)).data));
  });
});

describe('self-attention operator: causal, same interface', () => {
  test('softmax(QKᵀ/√d + mask)V equals a hand computation for one head; no dependence on the future', () => {
    const D = 2;
    const L = 5;
    const att = new CausalSelfAttention({ width: D, heads: 1, seed: 2 });
    const u = randomInput(L, D, 3);
    const y = noGrad(() => att.forward(u));
    const M = (lin: { weight: Tensor }) => lin.weight.toMatrix();
    const U = u.toMatrix();
    const Q = U.mmul(M(att.query));
    const K = U.mmul(M(att.key));
    const V = U.mmul(M(att.value));
    for (let t = 0; t < L; t++) {
      const s = Array.from({ length: t + 1 }, (_, j) => (Q.getRow(t)[0]! * K.get(j, 0) + Q.getRow(t)[1]! * K.get(j, 1)) / Math.sqrt(D));
      const m = Math.max(...s);
      const e = s.map((x) => Math.exp(x - m));
      const z = e.reduce((a, b) => a + b, 0);
      const mix = [0, 1].map((c) => e.reduce((acc, ej, j) => acc + (ej / z) * V.get(j, c), 0));
      const out = [0, 1].map((c) => mix[0]! * att.outProjection.weight.get(0, c) + mix[1]! * att.outProjection.weight.get(1, c) + (att.outProjection.bias?.get(c) ?? 0));
      expect(y.get(t, 0)).toBeCloseTo(out[0]!, 12);
      expect(y.get(t, 1)).toBeCloseTo(out[1]!, 12);
    }
  });
});

describe('Hyena projection: Linear then a causal depthwise short filter (direct and FFT paths)', () => {
  // K = 3: the fused no-tape loop and, with a tape recording, the shifted-copy ops; K = 20: ops.fftConv1d on both.
  test.each([3, 20])('shortKernel %i equals the direct double loop, with and without a tape recording', (K) => {
    const D = 3;
    const N = 2;
    const L = 25;
    const proj = new HyenaProjection({ width: D, order: N, shortKernel: K, seed: 4 });
    const u = randomInput(L, D, 5);
    let recorded: Tensor[] = [];
    variableGrads(() => {
      const { v, x } = proj.forward(u);
      recorded = [v, ...x];
      return ops.sum(v);
    }, proj.parameters());
    const { v, x } = noGrad(() => proj.forward(u));
    const W = proj.linear.weight;
    const C = (N + 1) * D;
    for (const streams of [[v, ...x], recorded]) {
      expect(streams).toHaveLength(N + 1);
      let err = 0;
      for (let c = 0; c < C; c++) {
        const lin = (t: number) => {
          let s = proj.linear.bias?.data[c] ?? 0;
          for (let i = 0; i < D; i++) s += (u.data[t * D + i] as number) * (W.data[i * C + c] as number);
          return s;
        };
        for (let t = 0; t < L; t++) {
          let y = 0;
          for (let k = 0; k < K && k <= t; k++) y += (proj.shortFilter.data[c * K + k] as number) * lin(t - k);
          const got = streams[Math.floor(c / D)]!.data[(c % D) * L + t] as number;
          err = Math.max(err, Math.abs(got - y));
        }
      }
      expect(err).toBeLessThan(1e-12);
    }
  });
});

describe('Hyena filter: window · FFN(positional encoding), L1-normalised', () => {
  test('positional encoding is (t/L_max, cos(2πkt/L_max), sin(2πkt/L_max))_k', () => {
    const pe = hyenaPositionalEncoding(5, 16, 5);
    expect(pe.shape).toEqual([5, 5]);
    for (let t = 0; t < 5; t++) {
      const want = [t / 16, Math.cos((2 * Math.PI * t) / 16), Math.sin((2 * Math.PI * t) / 16), Math.cos((4 * Math.PI * t) / 16), Math.sin((4 * Math.PI * t) / 16)];
      for (let e = 0; e < 5; e++) expect(Math.abs((pe.data[t * 5 + e] as number) - (want[e] as number))).toBeLessThan(1e-15);
    }
  });

  test.each([
    [20, 32, undefined],
    [40, 48, 16],
  ])('equals a hand computation of Algorithm 2, with and without a tape recording (L = %i, maxLength %i, gridLength %s)', (L, maxLength, gridLength) => {
    const [D, N, omega] = [3, 2, 10];
    const filter = new HyenaFilter({ width: D, order: N, maxLength, ...(gridLength !== undefined ? { gridLength } : {}), seed: 12 });
    // positions on the grid (past it when L > gridLength): (t/G, cos 2πkt/G, sin 2πkt/G), k = 1..3
    const G = gridLength ?? maxLength;
    const expected: number[][][] = Array.from({ length: N }, () => Array.from({ length: D }, () => new Array<number>(L).fill(0)));
    for (let t = 0; t < L; t++) {
      let z = [t / G, ...[1, 2, 3].flatMap((k) => [Math.cos((2 * Math.PI * k * t) / G), Math.sin((2 * Math.PI * k * t) / G)])];
      filter.layers.forEach((layer, i) => {
        const [inF, outF] = layer.weight.shape as [number, number];
        const next = Array.from({ length: outF }, (_, c) => {
          let a = layer.bias?.data[c] ?? 0;
          for (let j = 0; j < inF; j++) a += (z[j] as number) * (layer.weight.data[j * outF + c] as number);
          return i < 2 ? Math.sin(omega * a) : a;
        });
        z = next;
      });
      for (let n = 0; n < N; n++) {
        for (let d = 0; d < D; d++) {
          const alpha = 1 * 30 ** (d / (D - 1));
          expected[n]![d]![t] = (z[n * D + d] as number) * Math.exp((-alpha * t) / G);
        }
      }
    }
    for (const rows of expected) {
      for (const row of rows) {
        const norm = row.reduce((a, b) => a + Math.abs(b), 0) + 1e-12;
        for (let t = 0; t < L; t++) row[t] = (row[t] as number) / norm;
      }
    }
    let recorded: Tensor[] = [];
    variableGrads(() => {
      recorded = filter.forward(L);
      return ops.sum(recorded[0] as Tensor);
    }, filter.parameters());
    for (const got of [noGrad(() => filter.forward(L)), recorded]) {
      let err = 0;
      got.forEach((h, n) => {
        for (let d = 0; d < D; d++) for (let t = 0; t < L; t++) err = Math.max(err, Math.abs((h.data[d * L + t] as number) - expected[n]![d]![t]!));
      });
      expect(err).toBeLessThan(1e-13);
    }
    // the grid is part of the JSON; without it the JSON is that of the earlier releases
    const copy = HyenaFilter.fromJSON(JSON.parse(JSON.stringify(filter.toJSON())));
    expect(Array.from(noGrad(() => copy.forward(L))[1]?.data ?? [])).toEqual(Array.from(noGrad(() => filter.forward(L))[1]?.data ?? []));
    expect('gridLength' in (filter.toJSON().config as object)).toBe(gridLength !== undefined);
  });

  test('a filter on a grid of 16 equals, at L ≤ 16, the filter whose maxLength is 16', () => {
    const a = new HyenaFilter({ width: 4, order: 2, maxLength: 16, seed: 5 });
    const b = new HyenaFilter({ width: 4, order: 2, maxLength: 64, gridLength: 16, seed: 5 });
    for (const L of [7, 16]) {
      const ha = noGrad(() => a.forward(L));
      const hb = noGrad(() => b.forward(L));
      ha.forEach((h, n) => {
        expect(Array.from((hb[n] as Tensor).data)).toEqual(Array.from(h.data));
      });
    }
    expect(() => b.forward(65)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => new HyenaFilter({ width: 4, order: 2, maxLength: 64, gridLength: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('the whole operator gives the same output with and without a tape recording', () => {
    const op = new HyenaOperator({ width: 4, order: 3, maxLength: 64, seed: 13 });
    const u = randomInput(50, 4, 14);
    let recorded = Tensor.zeros([50, 4]);
    variableGrads(() => {
      recorded = op.forward(u);
      return ops.sum(recorded);
    }, op.parameters());
    const y = noGrad(() => op.forward(u));
    let gap = 0;
    let scale = 0;
    for (let i = 0; i < y.size; i++) {
      gap = Math.max(gap, Math.abs((recorded.data[i] as number) - (y.data[i] as number)));
      scale = Math.max(scale, Math.abs(y.data[i] as number));
    }
    expect(gap / scale).toBeLessThan(1e-12);
  });
});

describe('self-attention operator: blocked scores equal the full masked softmax', () => {
  test('L = 300 (three query blocks, the last partial), 2 heads: kernel and taped ops match a dense reference; gradcheck at L = 131', () => {
    const D = 4;
    const H = 2;
    const L = 300;
    const dh = D / H;
    const att = new CausalSelfAttention({ width: D, heads: H, seed: 6 });
    const u = randomInput(L, D, 7);
    const y = noGrad(() => att.forward(u));
    const U = u.toMatrix();
    const [Q, K, V] = [att.query, att.key, att.value].map((lin) => U.mmul(lin.weight.toMatrix()));
    const mixed = Array.from({ length: L }, () => new Float64Array(D));
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < L; t++) {
        const s = Array.from({ length: t + 1 }, (_, j) => {
          let dot = 0;
          for (let c = h * dh; c < (h + 1) * dh; c++) dot += Q!.get(t, c) * K!.get(j, c);
          return dot / Math.sqrt(dh);
        });
        const m = Math.max(...s);
        const e = s.map((z) => Math.exp(z - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let c = h * dh; c < (h + 1) * dh; c++) mixed[t]![c] = e.reduce((acc, ej, j) => acc + (ej / z) * V!.get(j, c), 0);
      }
    }
    const Wo = att.outProjection.weight;
    let err = 0;
    for (let t = 0; t < L; t++) {
      for (let c = 0; c < D; c++) {
        let out = att.outProjection.bias?.data[c] ?? 0;
        for (let i = 0; i < D; i++) out += (mixed[t]![i] as number) * Wo.get(i, c);
        err = Math.max(err, Math.abs(y.get(t, c) - out));
      }
    }
    expect(err).toBeLessThan(1e-12);
    // With a tape recording, forward runs through differentiable ops instead of the inference kernel.
    let recorded = Tensor.zeros([L, D]);
    variableGrads(() => {
      recorded = att.forward(u);
      return ops.sum(recorded);
    }, att.parameters());
    let gap = 0;
    for (let i = 0; i < y.size; i++) gap = Math.max(gap, Math.abs((recorded.data[i] as number) - (y.data[i] as number)));
    expect(gap).toBeLessThan(1e-12);
    const small = new CausalSelfAttention({ width: 2, heads: 1, seed: 8 });
    expect(gradcheck((x) => small.forward(x), [randomInput(131, 2, 9)]).maxRelError).toBeLessThan(1e-6);
  });
});

describe('Hyena: bad input', () => {
  test('length above the filter maximum, wrong width, NaN, even embedding size', () => {
    const op = new HyenaOperator({ width: 2, order: 1, maxLength: 8 });
    expect(() => op.forward(Tensor.zeros([9, 2]))).toThrow(/exceeds maxLength 8/);
    expect(() => op.forward(Tensor.zeros([4, 3]))).toThrow(expect.objectContaining({ code: 'shape' }));
    const bad = Tensor.zeros([4, 2]);
    bad.data[3] = Number.NaN;
    expect(() => op.forward(bad)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => new HyenaOperator({ width: 2, order: 1, maxLength: 8, embeddingDim: 4 })).toThrow(/odd/);
    expect(() => new CausalSelfAttention({ width: 3, heads: 2 })).toThrow(/divide/);
  });

  test('empty sequence, NaN into the projection or recurrence, overflow from huge finite input: typed errors naming the argument', () => {
    const op = new HyenaOperator({ width: 2, order: 2, maxLength: 8 });
    expect(() => op.forward(Tensor.zeros([0, 2]))).toThrow(expect.objectContaining({ code: 'shape', message: expect.stringContaining('HyenaOperator.forward') }));
    const nan = new Tensor(new Float64Array([0, Number.NaN, 1, 2]), [2, 2]);
    for (const K of [3, 20]) {
      const proj = new HyenaProjection({ width: 2, order: 1, shortKernel: K });
      expect(() => noGrad(() => proj.forward(nan))).toThrow(expect.objectContaining({ code: 'non-finite', message: expect.stringContaining("'u'") }));
    }
    const ok = Tensor.ones([1, 4]);
    expect(() => hyenaRecurrence(new Tensor(new Float64Array([1, 2, Number.NaN, 4]), [1, 4]), [ok], [ok])).toThrow(expect.objectContaining({ code: 'non-finite', message: expect.stringContaining("'v'") }));
    expect(() => hyenaRecurrence(ok, [new Tensor(new Float64Array([1, Number.POSITIVE_INFINITY, 1, 1]), [1, 4])], [ok])).toThrow(expect.objectContaining({ code: 'non-finite', message: expect.stringContaining("'x[0]'") }));
    // Finite but huge: the products overflow. Returned NaN (attention) or an rfft error naming its own argument.
    const huge = new Tensor(new Float64Array([1e300, -1e300, 1e300, 1e300]), [2, 2]);
    const overflow = expect.objectContaining({ code: 'domain', message: expect.stringContaining("argument 'u' is too large") });
    expect(() => noGrad(() => op.forward(huge))).toThrow(overflow);
    expect(() => op.forward(huge)).toThrow(overflow);
    expect(() => noGrad(() => new CausalSelfAttention({ width: 2 }).forward(huge))).toThrow(overflow);
    expect(() => new CausalSelfAttention({ width: 2 }).forward(huge)).toThrow(overflow);
    for (const K of [3, 20]) {
      const proj = new HyenaProjection({ width: 2, order: 1, shortKernel: K });
      proj.shortFilter.data.fill(1e300); // huge taps on a huge input: the short convolution overflows
      expect(() => noGrad(() => proj.forward(huge))).toThrow(overflow);
      expect(() => proj.forward(huge)).toThrow(overflow);
    }
  });

  test('filter options: omega and decay rates must be finite and positive (NaN filters before), seeds non-negative integers', () => {
    const base = { width: 3, order: 1, maxLength: 8 };
    for (const bad of [{ omega: Number.NaN }, { omega: 0 }, { decay: [0, 30] as [number, number] }, { decay: [-1, 30] as [number, number] }, { decay: [1, Number.POSITIVE_INFINITY] as [number, number] }]) {
      expect(() => new HyenaFilter({ ...base, ...bad })).toThrow(expect.objectContaining({ message: expect.stringMatching(/HyenaFilter: option '(omega|decay)'/) }));
    }
    expect(() => new HyenaFilter({ ...base, decay: [1] as unknown as [number, number] })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => new HyenaFilter({ ...base, seed: 1.5 })).toThrow(/HyenaFilter: option 'seed'/);
    expect(() => new HyenaProjection({ width: 2, order: 1, seed: -1 })).toThrow(/HyenaProjection: option 'seed'/);
    expect(() => new CausalSelfAttention({ width: 2, seed: Number.NaN })).toThrow(/CausalSelfAttention: option 'seed'/);
  });
});
