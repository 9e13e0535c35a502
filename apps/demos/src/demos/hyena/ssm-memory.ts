/**
 * SSM kernel and memory profile (notes: State-Space model, 记忆力): the HiPPO-LegS and diagonal SSM
 * kernels h_t = C Āᵗ B̄, and |∂y(t)/∂u(t−n)| measured by autodiff, which equals |C Āⁿ B̄|.
 */
import { atLeast, atMost } from '../../claims.js';
import { createRng, sampleNormalArray, Tensor } from '@notes/core-linalg';
import { diagonalSSM, discretize, hippoLegS, memoryProfile, ssmKernel, ssmOperator } from '@notes/hyena';
import type { Demo } from '../../demo.js';

const demo: Demo = {
  id: 'hyena/ssm-memory',
  title: 'SSM kernels and their memory profile by autodiff',
  section: 'State-Space model · 记忆力',
  order: 700,
  run({ seed }) {
    const L = 200;
    const t = L - 1;
    const u = Tensor.fromArray(sampleNormalArray(createRng(seed), L));
    const systems = [
      { name: 'HiPPO-LegS n=8, bilinear', ssm: discretize(hippoLegS(8), { dt: 1 / L, method: 'bilinear' }) },
      { name: 'diagonal (S4D-Real) n=8, ZOH', ssm: discretize(diagonalSSM(8), { dt: 0.05 }) },
    ];
    const values: { n: number; system: string; value: number; kind: string }[] = [];
    let worst = 0;
    for (const { name, ssm } of systems) {
      const h = ssmKernel(ssm, L);
      const profile = memoryProfile(ssmOperator(ssm), u, t);
      for (let n = 0; n <= t; n++) {
        worst = Math.max(worst, Math.abs((profile[n] as number) - Math.abs(h[n] as number)));
        values.push({ n, system: name, value: Math.abs(h[n] as number), kind: '|C Āⁿ B̄| (formula)' });
        if (n % 5 === 0) values.push({ n, system: name, value: profile[n] as number, kind: '|∂y(t)/∂u(t−n)| (autodiff)' });
      }
    }
    const tailLegS = values.filter((v) => v.system.startsWith('HiPPO') && v.kind.startsWith('|C') && v.n >= 100);
    const tailDiag = values.filter((v) => v.system.startsWith('diagonal') && v.kind.startsWith('|C') && v.n >= 100);
    const maxOf = (vs: { value: number }[]): number => Math.max(...vs.map((v) => v.value));
    return {
      claims: [
        atMost('the autodiff memory profile |∂y(t)/∂u(t−n)| equals |C Āⁿ B̄| (max difference)', worst, 1e-10),
        atLeast('HiPPO-LegS remembers longer: its largest |h_n| at lags ≥ 100 over the diagonal system\'s', maxOf(tailLegS) / Math.max(maxOf(tailDiag), 1e-300), 1),
      ],
      summary: `Memory profiles at t = ${t} of two SSMs. Lines: the kernel from the formula; points (every 5th lag): reverse-mode autodiff through core's FFT convolution. HiPPO-LegS keeps a long, slowly decaying memory; the diagonal system forgets exponentially.`,
      metrics: { 'max |autodiff − formula|': worst, 'sequence length': L },
      plots: [
        {
          title: 'Memory profile |∂y(t)/∂u(t−n)|',
          data: { values },
          layer: [
            {
              transform: [{ filter: "datum.kind === '|C Āⁿ B̄| (formula)'" }],
              mark: 'line',
              encoding: {
                x: { field: 'n', type: 'quantitative', title: 'lag n' },
                y: { field: 'value', type: 'quantitative', scale: { type: 'symlog', constant: 1e-4 }, title: 'magnitude' },
                color: { field: 'system', type: 'nominal' },
              },
            },
            {
              transform: [{ filter: "datum.kind !== '|C Āⁿ B̄| (formula)'" }],
              mark: { type: 'point', size: 20 },
              encoding: {
                x: { field: 'n', type: 'quantitative' },
                y: { field: 'value', type: 'quantitative', scale: { type: 'symlog', constant: 1e-4 } },
                color: { field: 'system', type: 'nominal' },
              },
            },
          ],
        },
      ],
    };
  },
};

export default demo;
