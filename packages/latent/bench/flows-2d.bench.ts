// pnpm bench: RealNVP on the 2-D toy densities of the issue (standardised two moons with noise 0.06,
// eight Gaussians on a circle, checkerboard): held-out NLL (5,000 test points) after a fixed architecture and
// budget, and for the two sets whose density is known, NLL − true entropy (eight Gaussians: entropy by
// quadrature; checkerboard: log 32). Also the exactness figures of the change of variables (inverse error,
// log-det vs the autodiff Jacobian, grid integral). No reference library is run: the reference is the true
// density where it is known, and the published RealNVP two-moons NLL otherwise.
import { loadavg } from 'node:os';
import { jacobian, ops, Tensor } from '@notes/core-linalg';
import { determinant, Matrix } from 'ml-matrix';
import { flowForward } from '../src/flows/layers.js';
import { fitRealNVP } from '../src/index.js';
import { CHECKERBOARD_ENTROPY, checkerboard, eightGaussians, eightGaussiansEntropy, standardise, twoMoons } from './flows-2d-data.js';

const EPOCHS = Number(process.env.FLOWS_EPOCHS ?? 50);
// FLOWS_SETS=moons,8g,checkerboard picks the sets (all by default)
const ONLY = (process.env.FLOWS_SETS ?? 'moons,8g,checkerboard').split(',');
const SCHEDULE = (process.env.FLOWS_SCHEDULE ?? 'constant') as 'constant' | 'cosine';
const BASE = (process.env.FLOWS_BASE ?? 'normal') as 'normal' | 'mixture';
const options = { couplings: 8, hiddenUnits: 64, hiddenLayers: 2, batchSize: 256, learningRate: 3e-3, learningRateSchedule: SCHEDULE, base: BASE, baseComponents: 8, epochs: EPOCHS, seed: 1 };
console.log(`load average ${loadavg()[0]?.toFixed(1)}; architecture: 8 couplings, MLP 2→64→64→4, ActNorm, clamp 3, base ${BASE}${BASE === 'mixture' ? ' (K = 8)' : ''}; Adam 3e-3 (${SCHEDULE}), batch 256, ${EPOCHS} epochs of 5,000 points`);

const sets = [
  { key: 'moons', name: 'two moons (standardised, noise 0.06)', gen: twoMoons, std: true, entropy: () => Number.NaN },
  { key: '8g', name: 'eight Gaussians', gen: eightGaussians, std: false, entropy: eightGaussiansEntropy },
  { key: 'checkerboard', name: 'checkerboard', gen: checkerboard, std: false, entropy: () => CHECKERBOARD_ENTROPY },
].filter((s) => ONLY.includes(s.key));
for (const s of sets) {
  let train = s.gen(5000, 11);
  let test = s.gen(5000, 12);
  if (s.std) [train, test] = standardise(train, test).sets as [number[][], number[][]];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const flow = fitRealNVP(train, options);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  const lp = flow.logProb(test);
  const nll = -lp.reduce((a, b) => a + b, 0) / lp.length;
  const se = Math.sqrt(lp.reduce((a, b) => a + (b + nll) ** 2, 0) / (lp.length - 1) / lp.length);
  const H = s.entropy();
  const gap = Number.isNaN(H) ? '' : `, true entropy ${H.toFixed(4)}, NLL − entropy ${(nll - H).toFixed(4)}`;
  console.log(
    `${s.name}: held-out NLL ${nll.toFixed(4)} ± ${se.toFixed(4)} nats${gap}; train ${wall.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`,
  );
  // exactness on this trained flow
  const back = flow.inverse(flow.forward(test).z);
  let inv = 0;
  test.forEach((r, i) => {
    r.forEach((v, j) => {
      inv = Math.max(inv, Math.abs(back.get(i, j) - v));
    });
  });
  const layers = flow.layersForTesting();
  const J = jacobian((x) => ops.reshape(flowForward(layers, ops.reshape(x, [1, 2]), flow.config.scaleClamp).z, [2]));
  const { logDet } = flow.forward(test.slice(0, 200));
  let ld = 0;
  test.slice(0, 200).forEach((r, i) => {
    const Jx = J(Tensor.fromArray(r));
    const M = new Matrix([
      [Jx.data[0] as number, Jx.data[1] as number],
      [Jx.data[2] as number, Jx.data[3] as number],
    ]);
    ld = Math.max(ld, Math.abs(Math.log(Math.abs(determinant(M))) - (logDet[i] as number)));
  });
  const L = 12;
  const h = 0.04;
  let integral = 0;
  for (let a = -L + h / 2; a < L; a += h) {
    const rows: number[][] = [];
    for (let b = -L + h / 2; b < L; b += h) rows.push([a, b]);
    for (const v of flow.logProb(rows)) integral += Math.exp(v) * h * h;
  }
  console.log(`  max |inverse(forward(x)) − x| ${inv.toExponential(2)}; max |log-det − log|det J|| ${ld.toExponential(2)} (200 points); ∫p on [-12, 12]² (h = 0.04) − 1 = ${(integral - 1).toExponential(2)}`);
}
