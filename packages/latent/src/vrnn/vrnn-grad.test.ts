import { createRng, ops, Tensor, variableGrads } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { type Arch, buildNets, netList, sequenceBounds } from './vrnn.js';

/**
 * Reverse-mode gradients of the VRNN objectives (mean ELBO and the k-particle importance-weighted bound) vs central
 * differences over every parameter, with the reparameterisation noise fixed. Small nets (D = 2, L = 2, H = 3, F = 3),
 * N = 2 sequences of T = 4 steps.
 */
describe('VRNN objective gradients (noise fixed) vs central differences', () => {
  const arch: Arch = { kind: 'vrnn', dimension: 2, latentDim: 2, hidden: 3, features: 3, minVariance: 1e-4 };
  const rng = createRng(17);
  const T = 4;
  const N = 2;
  const steps = Array.from({ length: T }, () => Tensor.fromArray(Array.from({ length: N * 2 }, () => rng.normal()), [N, 2]));
  const noise = Array.from({ length: T }, () => Tensor.fromArray(Array.from({ length: N * 2 }, () => rng.normal()), [N, 2]));

  for (const which of ['elbo', 'iwae'] as const) {
    test(`${which}: every parameter's gradient within 1e-6 relative of central differences (h = 1e-6)`, () => {
      const nets = buildNets(arch, createRng(5));
      const params = netList(nets).flatMap(([, m]) => m.parameters());
      // biases start at 0 and h₀ = 0, so the prior's first ReLU would sit exactly on its kink at t = 1, where central
      // differences see half the slope: move every parameter off its initial value
      const jitter = createRng(9);
      for (const p of params) for (let i = 0; i < p.size; i++) p.data[i] = (p.data[i] as number) + 0.1 * jitter.normal();
      // the IWAE variant: the N sequences are treated as k = N particles of one sequence (same inputs)
      const xs = which === 'elbo' ? steps : steps.map((s) => Tensor.fromArray([s.data[0] as number, s.data[1] as number, s.data[0] as number, s.data[1] as number], [2, 2]));
      const objective = () => {
        const r = sequenceBounds(nets, arch, xs, noise);
        return which === 'elbo' ? ops.mean(r.elbo) : ops.sub(ops.logSumExp(r.logW), Math.log(N));
      };
      const { grads } = variableGrads(objective, params);
      const h = 1e-6;
      let worst = 0;
      let scale = 0;
      for (let k = 0; k < params.length; k++) {
        const p = params[k] as Tensor;
        for (let i = 0; i < p.size; i++) {
          const v = p.data[i] as number;
          p.data[i] = v + h;
          const up = objective().item();
          p.data[i] = v - h;
          const down = objective().item();
          p.data[i] = v;
          const fd = (up - down) / (2 * h);
          const ad = (grads[k] as Tensor).data[i] as number;
          worst = Math.max(worst, Math.abs(fd - ad));
          scale = Math.max(scale, Math.abs(fd), Math.abs(ad));
        }
      }
      expect(params.reduce((a, p) => a + p.size, 0)).toBeGreaterThan(200);
      expect(scale).toBeGreaterThan(1e-3);
      expect(worst / scale).toBeLessThan(1e-6);
    });
  }
});
