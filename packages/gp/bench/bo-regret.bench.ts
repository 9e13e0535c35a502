/**
 * Bayesian optimisation vs random search: median simple regret (best found − global minimum) over 10 seeds
 * after 40 evaluations on Branin, Hartmann-6 and Ackley-5, for EI, PI and LCB (κσ form), and EI with the opt-in
 * TuRBO trust region on Ackley-5. Also seconds per run.
 */
import { report } from '@notes/bench-kit';
import { createRng } from '@notes/core-linalg';
import { type AcquisitionKind, type TestProblem, ackley5, branin, hartmann6, minimize } from '../src/index.js';

const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);
const BUDGET = 40;
const median = (a: number[]) => {
  const s = [...a].sort((p, q) => p - q);
  return 0.5 * (s[(s.length - 1) >> 1] + s[s.length >> 1]);
};

function randomSearch(p: TestProblem, seed: number): number {
  const rng = createRng(1000 + seed);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < BUDGET; i++) best = Math.min(best, p.f(p.bounds.map(([a, b]) => a + (b - a) * rng.uniform())));
  return best - p.minimum;
}

const rows = [];
const lines: string[] = [];
for (const p of [branin, hartmann6, ackley5]) {
  const rs = median(SEEDS.map((s) => randomSearch(p, s)));
  const acqs: AcquisitionKind[] = p === branin ? ['ei', 'pi', 'lcb'] : ['ei'];
  const variants: { acq: AcquisitionKind; trustRegion: boolean }[] = acqs.map((acq) => ({ acq, trustRegion: false }));
  if (p === ackley5) variants.push({ acq: 'ei', trustRegion: true });
  for (const { acq, trustRegion } of variants) {
    const label = `BO-${acq}${trustRegion ? '+TR' : ''}`;
    const t0 = performance.now();
    const regrets = SEEDS.map((seed) => minimize(p.f, p.bounds, { budget: BUDGET, seed, acquisition: acq, trustRegion }).value - p.minimum);
    const secs = (performance.now() - t0) / 1000 / SEEDS.length;
    rows.push({ name: `${p.name} ${label} (s per 40-eval run)`, seconds: secs, baseline: null });
    lines.push(`${p.name}: median simple regret after ${BUDGET} evals, ${label} ${median(regrets).toExponential(3)} vs random search ${rs.toExponential(3)} (10 seeds; BO per seed: ${regrets.map((r) => r.toExponential(1)).join(', ')})`);
  }
}
report('@notes/gp Bayesian optimisation (10 seeds × 40 evaluations)', rows);
for (const l of lines) console.log(`  ${l}`);
