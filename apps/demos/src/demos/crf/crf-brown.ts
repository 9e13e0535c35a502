/**
 * Linear CRF (notes: Linear CRF, $p(y\mid x) = \frac{1}{Z(x)}\exp\{\sum_t\sum_k\lambda_k f_k(y_t,y_{t-1},x_t)\}$) on the
 * Brown corpus with word, affix, shape and neighbour feature templates. The demo trains with the averaged
 * perceptron (three epochs fit in the demo's time budget; the L-BFGS fit is `packages/crf/bench/brown-accuracy.bench.ts`)
 * and shows per-tag accuracy and the confusion matrix on the held-out files.
 */
import { atLeast } from '../../claims.js';
import { evaluateTagging, fitCRF } from '@notes/crf';
import type { Demo } from '../../demo.js';
import { loadBrown } from './_brown.js';

const demo: Demo = {
  id: 'crf/crf-brown',
  title: 'Linear-chain CRF on Brown: per-tag accuracy and confusion matrix',
  section: 'Conditional Probabilistic Graphical Model · Linear CRF',
  order: 610,
  run({ seed, log }) {
    const { train, test } = loadBrown('universal');
    const t0 = performance.now();
    const fit = fitCRF(train, {
      algorithm: 'perceptron',
      epochs: 3,
      seed,
      onProgress: (p) => log(`epoch ${p.iteration}: training error ${(100 * p.objective).toFixed(2)} %`),
    });
    const fitSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const pred = test.map((s) => fit.predict(s.tokens));
    const tagSeconds = (performance.now() - t1) / 1000;
    const r = evaluateTagging(
      test.map((s) => s.tags),
      pred,
    );
    const conf: { gold: string; predicted: string; fraction: number; count: number }[] = [];
    const confusions: { pair: string; count: number }[] = [];
    r.labels.forEach((g, i) => {
      const row = r.confusion.getRow(i);
      const total = row.reduce((a, b) => a + b, 0);
      r.labels.forEach((p, j) => {
        conf.push({ gold: g, predicted: p, count: row[j], fraction: total > 0 ? row[j] / total : 0 });
        if (i !== j) confusions.push({ pair: `${g}→${p}`, count: row[j] });
      });
    });
    const worstTag = r.perTag.filter((t) => t.support >= 100).sort((a, b) => a.recall - b.recall)[0];
    return {
      claims: [
        atLeast('token accuracy on the held-out Brown files (universal tags, 3 perceptron epochs)', r.accuracy, 0.95),
      ],
      metrics: {
        'test accuracy (universal tags)': r.accuracy,
        'test tokens': r.tokens,
        'train tokens': fit.tokens,
        weights: fit.features,
        'fit seconds (3 perceptron epochs)': fitSeconds,
        'fit report: epochs': fit.report.iterations,
        'tagging tokens/s (incl. features)': r.tokens / tagSeconds,
      },
      summary: `Per-tag accuracy is the recall of each gold tag (the weakest tag with ≥ 100 test tokens is ${worstTag?.tag ?? '–'}, recall ${((worstTag?.recall ?? 0) * 100).toFixed(1)} %); the confusion matrix is row-normalised (rows: gold tag, columns: predicted tag). Most frequent errors (gold→predicted): ${confusions
        .sort((a, b) => b.count - a.count)
        .slice(0, 4)
        .map((c) => `${c.pair} (${c.count})`)
        .join(', ')}.`,
      tables: [{ title: 'Per-tag scores', rows: r.perTag.map((t) => ({ tag: t.tag, precision: t.precision, recall: t.recall, f1: t.f1, support: t.support })) }],
      plots: [
        {
          $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
          title: 'Per-tag accuracy (recall) on the test files',
          width: 420,
          height: 220,
          data: { values: r.perTag.map((t) => ({ tag: t.tag, accuracy: t.recall, support: t.support })) },
          mark: 'bar',
          encoding: {
            x: { field: 'tag', type: 'nominal', sort: '-y' },
            y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, title: 'recall' },
            tooltip: [{ field: 'support', type: 'quantitative' }],
          },
        },
        {
          $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
          title: 'Confusion matrix (row-normalised, log colour)',
          width: 360,
          height: 360,
          data: { values: conf.filter((c) => c.count > 0) },
          mark: 'rect',
          encoding: {
            x: { field: 'predicted', type: 'ordinal' },
            y: { field: 'gold', type: 'ordinal' },
            color: { field: 'fraction', type: 'quantitative', scale: { type: 'log', scheme: 'viridis' } },
            tooltip: [{ field: 'count', type: 'quantitative' }],
          },
        },
      ],
    };
  },
};

export default demo;
