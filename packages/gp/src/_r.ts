import { constant, matern, product, sum, white } from './kernels/index.js';
import { fitGP } from './gp-regression/index.js';
const X = [[0], [0.5], [1], [1.5], [2], [3]];
const y = [0.1, 0.6, 0.8, 1.0, 0.9, 0.2];
let worst = 0; const ratios: number[] = []; let local = 0;
for (let seed = 0; seed < 40; seed++) {
  const kernel = sum(product(constant(1), matern({ nu: 2.5, lengthScale: 1 })), white(0.01));
  const m = fitGP(X, y, { kernel, restarts: 3, seed });
  const [f, ...r] = m.report.startEvaluations as number[];
  for (const e of r) { ratios.push(e / f!); worst = Math.max(worst, e / f!); }
  local += m.report.restarts.filter((v) => v < -1).length;
}
ratios.sort((a, b) => a - b);
console.log(process.env.GP_SPREAD, 'worst', worst.toFixed(2), 'median', ratios[ratios.length >> 1]!.toFixed(2), 'p90', ratios[Math.floor(ratios.length * 0.9)]!.toFixed(2), 'local optima', local);
