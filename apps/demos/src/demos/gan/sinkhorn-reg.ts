/**
 * Sinkhorn cost vs regularisation (notes: Optimal transport): ⟨Π^ε, M⟩ decreases to the exact OT cost
 * as ε → 0. The standard scaling iteration (K = e^{−M/ε}) can underflow at small ε; the log-domain
 * iteration cannot. The report states from the runs themselves which of them converged.
 */
import { atMost, everyOf } from '../../claims.js';
import { ConvergenceError, createRng } from '@notes/core-linalg';
import { costMatrix, emd, sinkhorn } from '@notes/gan';
import type { Demo } from '../../demo.js';

const demo: Demo = {
  id: 'gan/sinkhorn-reg',
  title: 'Sinkhorn cost → exact OT cost as reg → 0',
  section: 'Optimal transport',
  order: 510,
  run({ seed, log }) {
    const rng = createRng(seed);
    const n = 60;
    const x = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
    const y = Array.from({ length: n }, () => [2 + 0.7 * rng.normal(), 1 + 1.3 * rng.normal()]);
    const w = new Array(n).fill(1 / n);
    const M = costMatrix(x, y);
    const scale = M.max();
    const exact = emd(w, w, M).cost;
    const rows: { reg: number; method: string; cost: number; gap: number; iterations: number; converged: boolean }[] = [];
    let firstStandardFailure = Number.NaN;
    for (let k = 0; k <= 14; k++) {
      const rel = 10 ** (-0.25 * k); // 1 … 3e-4
      const reg = rel * scale;
      for (const method of ['standard', 'log'] as const) {
        try {
          const r = sinkhorn(w, w, M, { reg, method, tol: 1e-8, maxIterations: 40000 });
          rows.push({ reg: rel, method, cost: r.cost, gap: r.cost - exact, iterations: r.report.iterations, converged: r.report.converged });
        } catch (e) {
          if (!(e instanceof ConvergenceError)) throw e;
          if (Number.isNaN(firstStandardFailure)) firstStandardFailure = rel;
        }
      }
      log(`reg ${rel.toExponential(1)}·max(M) done`);
    }
    const smallest = rows.find((r) => r.method === 'log' && Math.abs(r.reg - 1e-3) < 1e-12)!;
    const tiniest = rows.filter((r) => r.method === 'log').at(-1)!;
    const logRows = rows.filter((r) => r.method === 'log');
    const stdRows = rows.filter((r) => r.method === 'standard');
    const unconverged = rows.filter((r) => !r.converged);
    const minRel = Math.min(...logRows.map((r) => r.reg));
    // The entropic cost decreases to the exact cost as ε → 0 (the gap is ≥ 0 up to the tolerance and falls with ε).
    const gaps = logRows.map((r) => r.gap);
    const failure = Number.isNaN(firstStandardFailure)
      ? `The standard iteration returned a result at every reg down to ${minRel.toExponential(1)}·max(M) (${stdRows.length} of ${logRows.length} runs; its kernel K = e^{−M/ε} did not underflow on these costs), so both curves are complete.`
      : `The standard iteration failed from reg = ${firstStandardFailure.toExponential(1)}·max(M) on (missing points), where e^{−M/ε} underflows; the log-domain one continues.`;
    const notConverged =
      unconverged.length === 0
        ? 'Every run converged to tol 1e-8 within 40,000 iterations.'
        : `${unconverged.length} run(s) hit the 40,000-iteration cap before tol 1e-8 (${unconverged.map((r) => `${r.method} at ${r.reg.toExponential(1)}`).join(', ')}): at small reg Sinkhorn converges slowly (the README's limits; no ε-scaling), and their points are the cost after the cap.`;
    return {
      claims: [
        atMost('the entropic cost approaches the exact cost: log-domain gap at the smallest reg relative to the emd cost', Math.abs(tiniest.gap) / exact, 0.01),
        everyOf('the log-domain gap ⟨Π^ε, M⟩ − emd cost shrinks as reg decreases (each step, up to 1e-9·emd)', gaps.slice(1), (g, i) => g <= (gaps[i] as number) + 1e-9 * exact),
        atMost('where both methods converged they agree (max |cost_standard − cost_log| relative to emd)', Math.max(0, ...stdRows.filter((r) => r.converged).map((r) => Math.abs(r.cost - (logRows.find((l) => l.reg === r.reg && l.converged)?.cost ?? r.cost)))) / exact, 1e-6),
      ],
      summary: `Points: ⟨Π^ε, M⟩ − emd cost against ε/max(M) (log–log). ${failure} ${notConverged}`,
      metrics: {
        'emd cost': exact,
        'log-domain gap at reg 1e-3·max(M)': smallest.gap,
        'log-domain iterations at reg 1e-3·max(M)': smallest.iterations,
        'log-domain converged at reg 1e-3·max(M)': smallest.converged,
        'log-domain gap at reg 3.2e-4·max(M)': tiniest.gap,
        'standard method first fails at reg/max(M)': Number.isNaN(firstStandardFailure) ? 'never' : firstStandardFailure,
      },
      plots: [
        {
          title: 'Sinkhorn cost − exact OT cost vs reg',
          width: 420,
          height: 300,
          data: { values: rows },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'reg', type: 'quantitative', scale: { type: 'log' }, title: 'reg / max(M)' },
            y: { field: 'gap', type: 'quantitative', scale: { type: 'log' }, title: '⟨Π, M⟩ − emd cost' },
            color: { field: 'method', type: 'nominal' },
            strokeDash: { field: 'method', type: 'nominal' },
          },
        },
      ],
      tables: [{ title: 'Sinkhorn runs', rows }],
    };
  },
};

export default demo;
