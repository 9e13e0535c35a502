// The PacGAN protocol on 2-D mixtures (issue 19): ring = 8 Gaussians on the unit circle, σ = 0.01; grid =
// 25 Gaussians at {−4, −2, 0, 2, 4}², σ = 0.05. Each run trains on 10,000 samples of the mixture within
// a step budget, then draws 2,500 samples and reports modes captured (a sample within 3σ), % high-quality
// samples (within 3σ of the nearest mode), reverse KL of the mode histogram to uniform, and W1 to fresh
// target samples by this package's exact emd (500 × 500, Euclidean cost).
// Published (Lin et al. 2018, Table 2): GAN 6.3 ring / 17.3 grid modes; PacGAN 7.9 / 24.8, 93.6 % HQ, reverse KL 0.04.
//
// `pnpm bench` runs one seed of each row (GAN_SEEDS=1); the full protocol (10 seeds, ~20–40 min on a quiet
// 2-core machine) is `pnpm --filter @notes/gan demo:full`, which also writes bench/results/gan-modes.json
// (per-seed figures, read by the apps/demos gan-ring demo). Select rows with GAN_ROWS=ns-r1,wgan-gp and
// targets with GAN_TARGETS=ring; GAN_OUT=path writes the JSON. The rows ending in -ff add random
// Fourier features to the critic's input and the generator's latent code (grid only: on the ring they
// lowered the high-quality share in single-seed trials, see the README).
//
// Discriminator-driven sampling (GAN_REFINE=1, on by default for the rows that have a `calibration`): the same
// trained model is also scored after refining its samples with the critic's density ratio — the critic is
// first calibrated against the frozen generator (`calibrationSteps`, DRS), then 2,500 samples are drawn by
// rejection (DRS, `sampleRefined` method 'rejection') and by the Metropolis–Hastings independence sampler
// (MH-GAN, 'metropolis', 100 steps per sample). The raw columns are the generator's own samples (`sample`),
// which the calibration does not change. CPU per run = training + calibration; the sampling CPU is separate.
import { writeFileSync } from 'node:fs';
import { type GANModel, costMatrix, emd, gridModes, modeCoverage, ringModes, sampleMixture, type TrainGANOptions, trainGAN } from '../src/index.js';
import type { Matrix } from 'ml-matrix';

const SEEDS = Number(process.env.GAN_SEEDS ?? 1);
const FIRST_SEED = Number(process.env.GAN_FIRST_SEED ?? 1);
const TARGETS = (process.env.GAN_TARGETS ?? 'ring,grid').split(',');

/**
 * The rows of the table: every objective with the settings that worked best for it in this budget
 * (generator and critic MLPs 2×64 ReLU, latent 2, batch 128, Adam 1e-3 with β1 = 0.5 decayed linearly to 0).
 */
const COMMON: TrainGANOptions = { lrSchedule: 'linear', steps: 2000 };
const FF: TrainGANOptions = {
  lrSchedule: 'linear',
  steps: 6000,
  batchSize: 64,
  criticFeatures: 32,
  criticFeatureScale: 0.5,
  generatorFeatures: 16,
  generatorFeatureScale: 0.5,
};
/** Critic calibration for the refined columns (DRS): ring (plain 2×64 critic on raw coordinates) and grid (Fourier features). */
const CAL_RING: TrainGANOptions = { calibrationSteps: 20000, calibrationLr: 3e-3 };
const CAL_GRID: TrainGANOptions = { calibrationSteps: Number(process.env.GAN_CAL_GRID ?? 10000), calibrationLr: 3e-3 };
export const ROWS: Record<string, { label: string; options: TrainGANOptions; targets?: string[]; calibration?: Record<string, TrainGANOptions> }> = {
  'minimax-r1': { label: 'minimax + R1 (γ = 0.1)', options: { ...COMMON, objective: 'minimax', r1: 0.1 }, calibration: { ring: CAL_RING } },
  'ns-r1': { label: 'non-saturating + R1 (γ = 0.1)', options: { ...COMMON, objective: 'non-saturating', r1: 0.1 }, calibration: { ring: CAL_RING } },
  'fgan-r1': { label: 'f-GAN (JS) + R1 (γ = 0.1)', options: { ...COMMON, objective: 'f-gan', divergence: 'jensen-shannon', r1: 0.1 }, calibration: { ring: CAL_RING } },
  'wgan-gp': { label: 'WGAN-GP (λ = 0.1, nCritic 2)', options: { ...COMMON, objective: 'wgan', gradientPenalty: 0.1, nCritic: 2, steps: 1500 } },
  'pac2-ns-r1': { label: 'PacGAN2 non-saturating + R1 (γ = 0.1)', options: { ...COMMON, objective: 'non-saturating', r1: 0.1, pack: 2 } },
  // Fourier features of the critic's input and of the generator's latent code (spectral bias: see
  // `criticFeatures` in trainGAN), batch 64, 6,000 steps (WGAN-GP 4,500 with nCritic 2)
  'minimax-r1-ff': { label: 'minimax + R1 (γ = 0.1) + Fourier features', options: { ...FF, objective: 'minimax', r1: 0.1 }, targets: ['grid'], calibration: { grid: CAL_GRID } },
  'ns-r1-ff': { label: 'non-saturating + R1 (γ = 0.1) + Fourier features', options: { ...FF, objective: 'non-saturating', r1: 0.1 }, targets: ['grid'], calibration: { grid: CAL_GRID } },
  'fgan-r1-ff': { label: 'f-GAN (JS) + R1 (γ = 0.1) + Fourier features', options: { ...FF, objective: 'f-gan', divergence: 'jensen-shannon', r1: 0.1 }, targets: ['grid'], calibration: { grid: CAL_GRID } },
  'wgan-gp-ff': { label: 'WGAN-GP (λ = 0.1, nCritic 2) + Fourier features', options: { ...FF, objective: 'wgan', gradientPenalty: 0.1, nCritic: 2, steps: 4500 }, targets: ['grid'] },
  'pac2-ns-r1-ff': { label: 'PacGAN2 non-saturating + R1 (γ = 0.1) + Fourier features', options: { ...FF, objective: 'non-saturating', r1: 0.1, pack: 2 }, targets: ['grid'] },
};
const ROW_KEYS = (process.env.GAN_ROWS ?? Object.keys(ROWS).join(',')).split(',');

interface Scores {
  modes: number;
  hq: number;
  reverseKl: number;
  w1: number;
}
interface Refined extends Scores {
  cpuSeconds: number;
  acceptanceRate: number;
  proposals: number;
  logM: number;
}
interface Run extends Scores {
  seed: number;
  /** Training (+ calibration when refined) CPU seconds. */
  cpuSeconds: number;
  wallSeconds: number;
  /** Refined samples of the same model (rows with a calibration): each method's scores, or the error it threw. */
  refined?: { rejection: Refined | { error: string }; metropolis: Refined | { error: string } };
}
const REFINE = process.env.GAN_REFINE !== '0';
const results: { target: string; row: string; label: string; options: TrainGANOptions; runs: Run[] }[] = [];
const mean = (runs: Scores[], k: keyof Scores) => runs.reduce((t, r) => t + r[k], 0) / runs.length;
for (const target of TARGETS) {
  for (const key of ROW_KEYS) {
    const row = ROWS[key];
    if (!row) throw new Error(`unknown row ${key} (rows: ${Object.keys(ROWS).join(', ')})`);
    if (row.targets && !row.targets.includes(target)) continue;
    // GAN_REFINED_ONLY=1: only the (row, target) pairs with a calibration, i.e. with refined columns
    if (process.env.GAN_REFINED_ONLY === '1' && !row.calibration?.[target]) continue;
    const cal = REFINE ? row.calibration?.[target] : undefined;
    results.push({ target, row: key, label: row.label, options: { ...row.options, ...cal }, runs: [] });
  }
}

function score(gen: Matrix, modes: number[][], sd: number, seed: number): Scores {
  const cov = modeCoverage(gen, modes, sd);
  const ref = sampleMixture(modes, sd, 500, { seed: 2000 + seed });
  const w = new Array(500).fill(1 / 500);
  const w1 = emd(w, w, costMatrix(gen.subMatrix(0, 499, 0, 1), ref, 'euclidean')).cost;
  return { modes: cov.modesCaptured, hq: cov.highQualityFraction, reverseKl: cov.reverseKl, w1 };
}

function refine(model: GANModel, method: 'rejection' | 'metropolis', modes: number[][], sd: number, seed: number): Refined | { error: string } {
  const c0 = process.cpuUsage();
  try {
    const r = model.sampleRefined(2500, { seed: 1000 + seed, method, maxProposals: 3_000_000, chainLength: 100 });
    const c = process.cpuUsage(c0);
    return { ...score(r.samples, modes, sd, seed), cpuSeconds: (c.user + c.system) / 1e6, acceptanceRate: r.acceptanceRate, proposals: r.proposals, logM: r.logM };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
const fmt = (r: Scores) => `${r.modes} modes, ${(100 * r.hq).toFixed(1)} % HQ, reverse KL ${r.reverseKl.toFixed(3)}, W1 ${r.w1.toFixed(3)}`;

// seeds outermost: a run stopped early leaves every row with the same number of seeds
for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
  for (const entry of results) {
    const { target, row: key, options } = entry;
    const modes = target === 'ring' ? ringModes() : gridModes();
    const sd = target === 'ring' ? 0.01 : 0.05;
    const data = sampleMixture(modes, sd, 10_000, { seed: 100 + seed });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const model = trainGAN(data, { ...options, seed });
    const c = process.cpuUsage(c0);
    const wallSeconds = (performance.now() - t0) / 1000;
    const run: Run = { seed, ...score(model.sample(2500, { seed: 1000 + seed }), modes, sd, seed), cpuSeconds: (c.user + c.system) / 1e6, wallSeconds };
    let line = `${target} ${key} seed ${seed}: raw ${fmt(run)}, CPU ${run.cpuSeconds.toFixed(1)} s, wall ${wallSeconds.toFixed(1)} s`;
    if ((options.calibrationSteps ?? 0) > 0) {
      run.refined = { rejection: refine(model, 'rejection', modes, sd, seed), metropolis: refine(model, 'metropolis', modes, sd, seed) };
      for (const m of ['rejection', 'metropolis'] as const) {
        const r = run.refined[m];
        line += `\n  ${m}: ${'error' in r ? `error ${r.error}` : `${fmt(r)}, acceptance ${r.acceptanceRate.toFixed(4)}, ${r.proposals} proposals, sampling CPU ${r.cpuSeconds.toFixed(1)} s`}`;
      }
    }
    entry.runs.push(run);
    console.log(line);
    if (process.env.GAN_OUT) writeFileSync(process.env.GAN_OUT, `${JSON.stringify({ date: new Date().toISOString(), results }, null, 1)}\n`);
  }
}
console.log('\n| target | objective | samples | seeds | modes captured (each seed) | all modes | % high quality (min–max) | reverse KL | W1 (emd, 500×500) | CPU s per run (max) |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const { target, label, runs } of results) {
  const K = target === 'ring' ? 8 : 25;
  const line = (kind: string, rs: (Scores & { cpuSeconds: number })[], failed: number) => {
    if (rs.length === 0) return;
    const all = rs.filter((r) => r.modes === K).length;
    const hq = rs.map((r) => 100 * r.hq);
    console.log(
      `| ${target} | ${label} | ${kind}${failed ? ` (${failed} failed)` : ''} | ${rs.length} | ${mean(rs, 'modes').toFixed(2)} (${rs.map((r) => r.modes).join(', ')}) | ${all} of ${rs.length} | ${mean(rs, 'hq') * 100 > 0 ? (100 * mean(rs, 'hq')).toFixed(1) : '0'} (${Math.min(...hq).toFixed(1)}–${Math.max(...hq).toFixed(1)}) | ${mean(rs, 'reverseKl').toFixed(3)} | ${mean(rs, 'w1').toFixed(3)} | ${(rs.reduce((t, r) => t + r.cpuSeconds, 0) / rs.length).toFixed(1)} (${Math.max(...rs.map((r) => r.cpuSeconds)).toFixed(1)}) |`,
    );
  };
  line('raw', runs, 0);
  for (const m of ['rejection', 'metropolis'] as const) {
    const ok = runs.flatMap((r) => {
      const x = r.refined?.[m];
      return x && !('error' in x) ? [{ ...x, cpuSeconds: r.cpuSeconds + x.cpuSeconds }] : [];
    });
    line(m === 'rejection' ? 'refined: rejection (DRS)' : 'refined: Metropolis–Hastings', ok, runs.filter((r) => r.refined && 'error' in r.refined[m]).length);
  }
}
