import { describe, expect, test } from 'vitest';
import { matmul, matmulTransA, matmulTransB } from '../../linalg/matmul.js';
import { testRng } from '../rand.testutil.js';
import { Tensor } from '../tensor.js';
import { variableGrads } from '../grad.js';
import { linear, matmul as opsMatmul } from './matmul.js';
import { mul, sum } from './index.js';

function rand(n: number, seed: number): Float64Array {
  const rng = testRng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe('autodiff (support): ops.matmul / ops.linear run on linalg\'s GEMM', () => {
  // odd shapes: below and above the small-product cut-over, ragged tiles, more than one KC / MC block
  const shapes: [number, number, number][] = [
    [3, 5, 7],
    [37, 41, 53],
    [100, 300, 33],
    [97, 520, 13],
    [130, 259, 7],
  ];
  for (const [m, k, n] of shapes) {
    test(`${m}×${k}·${k}×${n}: forward and both gradients equal linalg's matmul / matmulTransA / matmulTransB bit for bit`, () => {
      const a = rand(m * k, m);
      const b = rand(k * n, n);
      const g = rand(m * n, k);
      const A = new Tensor(a, [m, k], { requiresGrad: true });
      const B = new Tensor(b, [k, n], { requiresGrad: true });
      for (const op of ['matmul', 'linear'] as const) {
        const y = op === 'matmul' ? opsMatmul(A, B) : linear(A, B);
        expect(firstDifference(y.data, matmul(a, b, m, k, n))).toBe(-1);
        // the upstream gradient g enters as sum(y ⊙ g) (its backward passes g itself, exactly)
        const { grads } = variableGrads(() => sum(mul(op === 'matmul' ? opsMatmul(A, B) : linear(A, B), new Tensor(g, [m, n]))), [A, B]);
        expect(firstDifference(grads[0].data, matmulTransB(g, b, m, n, k))).toBe(-1);
        expect(firstDifference(grads[1].data, matmulTransA(a, g, k, m, n))).toBe(-1);
      }
    });
  }
});
