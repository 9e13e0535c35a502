// Recipe diagnosis for RealNVP on standardised two moons (the table "Diagnosis runs" of the README's flows
// targets): the flow layers of src/flows with a plain loop (flowLogProb + core Adam, fixed-size minibatches,
// optional linear warm-up and cosine decay), the validation NLL (5,000 points of seed 13) every EVAL steps, and
// at the end the held-out NLL and the gap to the true density on NTEST points of seed 12 (the bench's held-out
// set). Not a bench (not run by `pnpm bench`): one configuration per call, set by environment variables, e.g.
//   SEED=1 BS=64 STEPS=15680 LR=1e-3 node --import tsx bench/flows-2d-recipe.ts
import { createAdamOptimizer, createRng, noGrad, ops, permutation, Tensor, variableGrads } from '@notes/core-linalg';
import {
  baseParameters,
  createBase,
  createFlowLayers,
  type FlowConfig,
  flowLogProb,
  flowParameters,
  initActNorm,
} from '../src/flows/layers.js';
import { standardise, twoMoons, twoMoonsLogPdf } from './flows-2d-data.js';

const E = (k: string, d: string) => process.env[k] ?? d;
const SEED = Number(E('SEED', '1'));
const LR = Number(E('LR', '3e-3'));
const LRMIN = Number(E('LRMIN', '0'));
const STEPS = Number(E('STEPS', '3920'));
const BS = Number(E('BS', '256'));
const NTRAIN = Number(E('NTRAIN', '50000'));
const HIDDEN = Number(E('HIDDEN', '64'));
const LAYERS = Number(E('LAYERS', '2'));
const CLAMP = Number(E('CLAMP', '3'));
const WARMUP = Number(E('WARMUP', '0'));
const SCHED = E('SCHED', 'cosine');
const EVAL = Number(E('EVAL', '490'));
const ACT = E('ACT', 'relu') as 'relu' | 'tanh';
const NCOUP = Number(E('NCOUP', '8'));
const CLIP = Number(E('CLIP', '100'));
const WD = Number(E('WD', '0'));
const ACTNORM = E('ACTNORM', '1') === '1';
const NTEST = Number(E('NTEST', '50000'));

const ref = twoMoons(5000, 11);
const st = standardise(ref);
const toStd = (X: number[][]) => X.map((r) => r.map((v, j) => (v - (st.mean[j] as number)) / (st.sd[j] as number)));
const test = toStd(twoMoons(NTEST, 12));
const trueLp = test.map(
  (r) =>
    twoMoonsLogPdf((r[0] as number) * (st.sd[0] as number) + (st.mean[0] as number), (r[1] as number) * (st.sd[1] as number) + (st.mean[1] as number)) + st.logSd,
);
const val = toStd(twoMoons(5000, 13));
const train = toStd(twoMoons(NTRAIN, 1000 + SEED));
const n = train.length;
const D = 2;
const flat = new Float64Array(train.flat());
const meanSE = (a: number[]) => {
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  const v = a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1);
  return { m, se: Math.sqrt(v / a.length) };
};

const config: FlowConfig = {
  dimension: 2,
  couplings: NCOUP,
  hiddenUnits: HIDDEN,
  hiddenLayers: LAYERS,
  activation: ACT,
  scaleClamp: CLAMP,
  actNorm: ACTNORM,
  base: 'normal',
  baseComponents: 8,
};
const rng = createRng(SEED);
const layers = createFlowLayers(config, rng);
if (ACTNORM) initActNorm(layers, new Tensor(flat, [n, D]), CLAMP);
const base = createBase(config);
const params = [...flowParameters(layers), ...baseParameters(base)];
const opt = createAdamOptimizer(params, { lr: LR, clipNorm: CLIP, weightDecay: WD });
const evalOn = (X: number[][]) => Array.from(noGrad(() => flowLogProb(layers, new Tensor(new Float64Array(X.flat()), [X.length, 2]), CLAMP, base)).data);
const cpu0 = process.cpuUsage();
let step = 0;
let order = permutation(rng, n);
let pos = 0;
let run = 0;
let runN = 0;
while (step < STEPS) {
  if (pos + BS > n) {
    order = permutation(rng, n);
    pos = 0;
  }
  const xb = new Float64Array(BS * D);
  for (let i = 0; i < BS; i++) xb.set(flat.subarray((order[pos + i] as number) * D, ((order[pos + i] as number) + 1) * D), i * D);
  pos += BS;
  const x = new Tensor(xb, [BS, D]);
  const { value, grads } = variableGrads(() => ops.neg(ops.mean(flowLogProb(layers, x, CLAMP, base))), params);
  let lr = LR;
  if (step < WARMUP) lr = (LR * (step + 1)) / WARMUP;
  else if (SCHED === 'cosine') lr = LRMIN + (LR - LRMIN) * 0.5 * (1 + Math.cos((Math.PI * (step - WARMUP)) / (STEPS - WARMUP)));
  opt.lr = Math.max(lr, 1e-300);
  opt.step(grads);
  run += value;
  runN++;
  step++;
  if (step % EVAL === 0 || step === STEPS) {
    const v = meanSE(evalOn(val).map((a) => -a));
    const c = process.cpuUsage(cpu0);
    console.log(`step ${step} train(run) ${(run / runN).toFixed(4)} val ${v.m.toFixed(4)} lr ${opt.lr.toExponential(2)} cpu ${((c.user + c.system) / 1e6).toFixed(1)}`);
    run = 0;
    runN = 0;
  }
}
const c = process.cpuUsage(cpu0);
const lp = evalOn(test);
const nll = meanSE(lp.map((a) => -a));
const gap = meanSE(lp.map((a, i) => (trueLp[i] as number) - a));
const tn = meanSE(trueLp.map((a) => -a));
console.log(
  `RESULT seed ${SEED} test NLL ${nll.m.toFixed(4)} ± ${nll.se.toFixed(4)} (n ${NTEST}); true ${tn.m.toFixed(4)}; gap ${gap.m.toFixed(4)} ± ${gap.se.toFixed(4)}; cpu ${((c.user + c.system) / 1e6).toFixed(1)} s; ${JSON.stringify({ LR, LRMIN, STEPS, BS, NTRAIN, HIDDEN, LAYERS, CLAMP, WARMUP, SCHED, ACT, NCOUP, CLIP, WD, ACTNORM })}`,
);
