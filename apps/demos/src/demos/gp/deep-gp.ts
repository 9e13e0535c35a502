/**
 * Deep Gaussian Process (notes): $f^{(l)}\mid f^{(l-1)} \sim \mathcal{GP}(\mu^{(l)}(f^{(l-1)}), K^{(l)})$, $f^{(0)} = x$,
 * $y = f^{(L)} + \varepsilon$, fitted by doubly stochastic variational inference (Salimbeni & Deisenroth 2017) on a
 * seeded step function with heteroscedastic noise. One stationary GP (SVGP, the one-layer model of the same loop)
 * must choose one length-scale for the flat parts and the jump; a 2-layer model can warp the input first (layer 1)
 * so that layer 2 sees a nearly two-valued input. The plots show the predictive bands and each layer's function.
 */
import { createRng } from '@notes/core-linalg';
import { fitDeepGP } from '@notes/gp';
import { atLeast } from '../../claims.js';
import type { Demo } from '../../demo.js';

/** y = 1[x > 0] + noise (sd 0.03 left of the jump, 0.15 right), x ~ U(−1, 1): the set of packages/gp/bench/deep-gp.bench.ts. */
function stepData(n: number, seed: number): { X: number[]; y: number[] } {
  const r = createRng(seed);
  const X: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = 2 * r.uniform() - 1;
    X.push(x);
    y.push((x > 0 ? 1 : 0) + (x > 0 ? 0.15 : 0.03) * r.normal());
  }
  return { X, y };
}

const demo: Demo = {
  id: 'gp/deep-gp',
  title: 'Deep GP on a step: the layers warp the input, one GP cannot',
  section: 'Deep Gaussian Process',
  notes: 'Deep Gaussian Process',
  order: 350,
  code: ['packages/gp/src/deep-gp/layers.ts', 'packages/gp/src/deep-gp/fit.ts'],
  tests: ['packages/gp/src/deep-gp/deep-gp.test.ts', 'packages/gp/src/deep-gp/conventions.test.ts'],
  run({ seed, log }) {
    const train = stepData(200, seed);
    const test = stepData(500, seed + 1);
    const opts = { inducing: 20, epochs: 400, learningRate: 0.03, normalizeY: true, seed, samples: 2 } as const;
    const fits = [1, 2, 3].map((L) => {
      const t0 = Date.now();
      const model = fitDeepGP(train.X, train.y, { ...opts, layers: L });
      const seconds = (Date.now() - t0) / 1000;
      const lpd = model.logPredictiveDensity(test.X, test.y, { samples: 200, seed });
      const ll = Array.from(lpd).reduce((a, b) => a + b, 0) / lpd.length;
      log(`${L} layer(s): test log-lik ${ll.toFixed(3)} nats/point, ${seconds.toFixed(1)} s`);
      return { L, model, ll, seconds };
    });
    const [svgp, dgp2, dgp3] = fits as [(typeof fits)[number], (typeof fits)[number], (typeof fits)[number]];
    const grid = Array.from({ length: 161 }, (_, i) => -1 + (2 * i) / 160);
    const bands = fits.flatMap(({ L, model }) => {
      const p = model.predict(grid, { samples: 200, seed });
      return grid.map((x, i) => {
        const m = p.mean[i] as number;
        const s = p.std[i] as number;
        return { x, mean: m, lo: m - 2 * s, hi: m + 2 * s, model: L === 1 ? 'SVGP (1 layer)' : `DGP-${L}` };
      });
    });
    // each layer's function: 6 joint samples of (f1(x), f2(f1(x))) of the 2-layer model (plots); layer 1's mean from 100
    const layers = dgp2.model.sampleLayers(grid, { samples: 100, seed });
    const f1 = (layers.layers[0] as Float64Array[]).slice(0, 6);
    const f2 = (layers.layers[1] as Float64Array[]).slice(0, 6);
    const layer1 = f1.flatMap((s, k) => grid.map((x, i) => ({ x, f1: s[i] as number, sample: `sample ${k + 1}` })));
    const layer2 = f1.flatMap((s, k) => grid.map((_, i) => ({ f1: s[i] as number, f2: (f2[k] as Float64Array)[i] as number, sample: `sample ${k + 1}` })));
    // warping: how far layer 1's mean moves across the jump (|x| < 0.1) vs over each flat part (|x| > 0.3)
    const all1 = layers.layers[0] as Float64Array[];
    const m1 = grid.map((_, i) => all1.reduce((a, s) => a + (s[i] as number), 0) / all1.length);
    const range = (lo: number, hi: number) => {
      const v = m1.filter((_, i) => (grid[i] as number) >= lo && (grid[i] as number) <= hi);
      return Math.max(...v) - Math.min(...v);
    };
    const jump = range(-0.1, 0.1);
    const flat = Math.max(range(-1, -0.3), range(0.3, 1));
    const points = train.X.map((x, i) => ({ x, y: train.y[i] as number }));
    return {
      claims: [
        atLeast('DGP-2 test log-likelihood (nats per point, 500 held-out points) is at least SVGP\'s on the step data', dgp2.ll, svgp.ll),
        atLeast('DGP-3 test log-likelihood is at least SVGP\'s on the step data', dgp3.ll, svgp.ll),
        atLeast('layer 1 of DGP-2 warps x: its mean moves at least 1.5× more across the jump (|x| < 0.1) than over either flat part (|x| > 0.3)', jump / flat, 1.5),
      ],
      summary: `200 training points of y = 1[x > 0] + noise (sd 0.03 left, 0.15 right), 500 test points from the same process. Each model: 20 inducing points per layer (learned), whitened q(u), Adam (rate 0.03) for 400 full-batch steps with 2 samples per point; predictions average 200 samples of the layer composition. SVGP (one layer, same loop) smooths the jump with one length-scale and one noise level; the deep models warp x in layer 1 (steep near 0, flat elsewhere, plot 2) so layer 2 maps two clusters of inputs to two levels (plot 3). The bench packages/gp/bench/deep-gp.bench.ts repeats this over 10 splits and on two real data sets, where depth does not always help.`,
      metrics: {
        'SVGP test log-lik (nats/pt)': svgp.ll,
        'DGP-2 test log-lik (nats/pt)': dgp2.ll,
        'DGP-3 test log-lik (nats/pt)': dgp3.ll,
        'SVGP fit seconds': svgp.seconds,
        'DGP-2 fit seconds': dgp2.seconds,
        'DGP-3 fit seconds': dgp3.seconds,
        'layer-1 mean: range across |x| < 0.1': jump,
        'layer-1 mean: largest range over a flat part': flat,
        'DGP-2 noise variance (normalised y)': dgp2.model.noise,
        'SVGP noise variance (normalised y)': svgp.model.noise,
      },
      plots: [
        {
          $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
          width: 700,
          height: 300,
          title: 'Predictive mean and ±2σ of f (mixture over 200 samples)',
          layer: [
            { data: { values: bands }, mark: { type: 'area', opacity: 0.2 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'lo', type: 'quantitative', title: 'y' }, y2: { field: 'hi' }, color: { field: 'model', type: 'nominal' } } },
            { data: { values: bands }, mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'mean', type: 'quantitative' }, color: { field: 'model', type: 'nominal' } } },
            { data: { values: points }, mark: { type: 'point', size: 8, color: 'black', opacity: 0.5 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
          ],
        },
        {
          $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
          width: 340,
          height: 280,
          title: 'DGP-2 layer 1: samples of f1(x)',
          data: { values: layer1 },
          mark: 'line',
          encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'f1', type: 'quantitative' }, color: { field: 'sample', type: 'nominal', legend: null } },
        },
        {
          $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
          width: 340,
          height: 280,
          title: 'DGP-2 layer 2: f2 against its input f1 (same samples)',
          data: { values: layer2 },
          mark: { type: 'point', size: 6 },
          encoding: { x: { field: 'f1', type: 'quantitative' }, y: { field: 'f2', type: 'quantitative' }, color: { field: 'sample', type: 'nominal', legend: null } },
        },
      ],
    };
  },
};

export default demo;
