/**
 * Optimal transport between two 2-D point clouds (notes: Optimal transport): the exact plan from the
 * network simplex (`emd`) drawn as lines whose opacity is the transported mass, next to the blurred
 * entropic plan of Sinkhorn. The exact plan is sparse (at most n + m − 1 non-zero entries, a vertex of
 * the transport polytope) and its dual potentials certify optimality.
 */
import { atLeast, atMost } from '../../claims.js';
import { createRng } from '@notes/core-linalg';
import { costMatrix, emd, kantorovichDualCheck, sinkhorn } from '@notes/gan';
import type { Demo, VegaLiteSpec } from '../../demo.js';

function planLines(x: number[][], y: number[][], get: (i: number, j: number) => number, cut: number) {
  const rows: { x: number; y: number; x2: number; y2: number; mass: number }[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = 0; j < y.length; j++) {
      const m = get(i, j);
      if (m > cut) rows.push({ x: x[i]![0]!, y: x[i]![1]!, x2: y[j]![0]!, y2: y[j]![1]!, mass: m });
    }
  }
  return rows;
}

function planPlot(title: string, lines: ReturnType<typeof planLines>, pts: { x: number; y: number; cloud: string }[]): VegaLiteSpec {
  return {
    title,
    width: 360,
    height: 300,
    layer: [
      {
        data: { values: lines },
        mark: { type: 'rule', color: '#555' },
        encoding: {
          x: { field: 'x', type: 'quantitative', title: 'x₁' },
          y: { field: 'y', type: 'quantitative', title: 'x₂' },
          x2: { field: 'x2' },
          y2: { field: 'y2' },
          opacity: { field: 'mass', type: 'quantitative', legend: null },
        },
      },
      {
        data: { values: pts },
        mark: { type: 'point', filled: true, size: 30 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          color: { field: 'cloud', type: 'nominal' },
        },
      },
    ],
  };
}

const demo: Demo = {
  id: 'gan/transport-plan',
  title: 'Optimal transport plan between two point clouds',
  section: 'Optimal transport',
  order: 500,
  run({ seed }) {
    const rng = createRng(seed);
    const n = 40;
    const m = 30;
    // source: two Gaussian blobs; target: a noisy ring
    const x = Array.from({ length: n }, (_, i) => {
      const c = i % 2 === 0 ? -2 : 2;
      return [c + 0.5 * rng.normal(), 0.5 * rng.normal()];
    });
    const y = Array.from({ length: m }, (_, j) => {
      const t = (2 * Math.PI * j) / m;
      return [3 * Math.cos(t) + 0.1 * rng.normal(), 3 * Math.sin(t) + 0.1 * rng.normal()];
    });
    const a = new Array(n).fill(1 / n);
    const b = new Array(m).fill(1 / m);
    const M = costMatrix(x, y, 'sqeuclidean');
    const exact = emd(a, b, M);
    const check = kantorovichDualCheck(a, b, M, exact.potentials);
    const reg = 0.05 * M.max();
    const ent = sinkhorn(a, b, M, { reg, tol: 1e-10 });
    let nonZero = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if (exact.plan.get(i, j) > 0) nonZero++;
    const pts = [
      ...x.map((p) => ({ x: p[0]!, y: p[1]!, cloud: 'source (40)' })),
      ...y.map((p) => ({ x: p[0]!, y: p[1]!, cloud: 'target (30)' })),
    ];
    return {
      claims: [
        atMost('the emd plan is optimal: Kantorovich dual ⟨a,f⟩ + ⟨b,g⟩ = primal cost (relative difference)', Math.abs(check.dual - exact.cost) / exact.cost, 1e-9),
        atMost('dual feasibility f_i + g_j ≤ M_ij (max violation relative to max M)', check.maxViolation / M.max(), 1e-12),
        atMost(`the exact plan is a vertex: non-zero entries ≤ n + m − 1 = ${n + m - 1}`, nonZero, n + m - 1),
        atLeast('the entropic plan costs more than the exact one (⟨Π^ε, M⟩ − emd)', ent.cost - exact.cost, 0),
      ],
      summary:
        'The first plot: exact OT plan (network simplex), each line a pair (xᵢ, yⱼ) with Γᵢⱼ > 0, opacity ∝ mass. The second: the entropic plan of Sinkhorn with reg = 0.05·max(M), which spreads mass over many pairs.',
      metrics: {
        'emd cost ⟨Γ, M⟩': exact.cost,
        'dual ⟨a,f⟩ + ⟨b,g⟩': check.dual,
        'max dual violation (0 up to rounding)': check.maxViolation,
        'non-zero plan entries (≤ n + m − 1 = 69)': nonZero,
        'network-simplex pivots': exact.report.iterations,
        'Sinkhorn cost (reg 0.05·max M)': ent.cost,
        'Sinkhorn iterations': ent.report.iterations,
      },
      plots: [
        planPlot('Exact plan (emd)', planLines(x, y, (i, j) => exact.plan.get(i, j), 0), pts),
        planPlot('Entropic plan (Sinkhorn)', planLines(x, y, (i, j) => ent.plan.get(i, j), 1e-4 / (n * m)), pts),
      ],
    };
  },
};

export default demo;
