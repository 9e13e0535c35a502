/**
 * VAE and IWAE on MNIST digits (notes: "VAE"; Burda et al. 2016): the `mnist` package's digits (≈10,000), split
 * by a seeded permutation into 2,000 training and 200 test images; training images are dynamically binarised
 * every epoch, the test set is binarised once with a fixed seed. Architecture 784-200-(2×10) / 10-200-784, tanh,
 * Bernoulli likelihood, Adam lr 1e-3, batch 100, 6 epochs: one model trained on the ELBO, one on the IWAE bound
 * with k = 5. Test log-likelihood by the k = 100 importance estimate (± standard error over the test images). A third
 * model with a 2-D latent space (ELBO, same budget) gives the 2-D latent map of the test digits, coloured by label.
 * A small budget so that the demo runs in about a minute; `pnpm --filter @notes/latent bench` has longer runs.
 */
import { createRequire } from 'node:module';
import { createRng, permutation } from '@notes/core-linalg';
import { fitVAE } from '@notes/latent';
import { atLeast, everyOf } from '../../claims.js';
import type { Demo } from '../../demo.js';

interface Digit {
  length: number;
  range(start: number, end: number): number[][];
}

function load(seed: number, nTrain: number, nTest: number): { train: number[][]; test: number[][]; testLabels: number[] } {
  const mnist = createRequire(import.meta.url)('mnist') as Record<number, Digit>;
  const imgs: number[][] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    for (const img of (mnist[d] as Digit).range(0, (mnist[d] as Digit).length)) {
      imgs.push(img);
      labels.push(d);
    }
  }
  const order = permutation(createRng(seed), imgs.length);
  const train = Array.from({ length: nTrain }, (_, i) => imgs[order[i] as number] as number[]);
  const r = createRng(seed + 1);
  const test = Array.from({ length: nTest }, (_, i) => (imgs[order[nTrain + i] as number] as number[]).map((p) => (r.uniform() < p ? 1 : 0)));
  const testLabels = Array.from({ length: nTest }, (_, i) => labels[order[nTrain + i] as number] as number);
  return { train, test, testLabels };
}

/** Leave-one-out k-nearest-neighbour accuracy of `labels` from the points `Z` (Euclidean, majority vote, ties to the nearest). */
function knnAccuracy(Z: number[][], labels: number[], k: number): number {
  let correct = 0;
  for (let i = 0; i < Z.length; i++) {
    const zi = Z[i] as number[];
    const near = Z.map((z, j) => ({ j, d: j === i ? Number.POSITIVE_INFINITY : z.reduce((s, v, c) => s + (v - (zi[c] as number)) ** 2, 0) }))
      .sort((a, b) => a.d - b.d)
      .slice(0, k);
    const votes = new Map<number, number>();
    for (const { j } of near) votes.set(labels[j] as number, (votes.get(labels[j] as number) ?? 0) + 1);
    let best = labels[(near[0] as { j: number }).j] as number;
    for (const [label, v] of votes) if (v > (votes.get(best) as number)) best = label;
    if (best === labels[i]) correct += 1;
  }
  return correct / Z.length;
}

const demo: Demo = {
  id: 'latent/vae-mnist',
  title: 'VAE and IWAE (k = 5) on MNIST digits',
  section: 'VAE',
  order: 420,
  run({ seed, log }) {
    const { train, test, testLabels } = load(seed, 2000, 200);
    const base = { latentDim: 10, hidden: [200], epochs: 6, batchSize: 100, lr: 1e-3, binarize: true, seed } as const;
    const t0 = performance.now();
    const vae = fitVAE(train, { ...base, onProgress: (p) => log(`VAE epoch ${p.iteration}: −ELBO ${p.objective.toFixed(2)}`) });
    const tVae = performance.now() - t0;
    const t1 = performance.now();
    const iwae = fitVAE(train, {
      ...base,
      objective: 'iwae',
      samples: 5,
      onProgress: (p) => log(`IWAE epoch ${p.iteration}: −L5 ${p.objective.toFixed(2)}`),
    });
    const tIwae = performance.now() - t1;
    const llVae = vae.logLikelihood(test, { samples: 100, seed });
    const llIwae = iwae.logLikelihood(test, { samples: 100, seed });
    const elboVae = vae.elbo(test, { samples: 10, seed });
    const elboIwae = iwae.elbo(test, { samples: 10, seed });
    const steps = 6 * Math.ceil(2000 / 100);
    log(`test log p(x) (k = 100): VAE ${llVae.mean.toFixed(2)} ± ${llVae.standardError.toFixed(2)}, IWAE ${llIwae.mean.toFixed(2)} ± ${llIwae.standardError.toFixed(2)}; test ELBO VAE ${elboVae.toFixed(2)}, IWAE-trained ${elboIwae.toFixed(2)}; ms/step VAE ${(tVae / steps).toFixed(1)}, IWAE ${(tIwae / steps).toFixed(1)}`);
    const rec = vae.reconstruct(test.slice(0, 6)).to2DArray();
    const samples = vae.sample(6, { seed }).to2DArray();
    const pixels = [
      ...test.slice(0, 6).map((img, k) => ({ img, name: `test ${k}` })),
      ...rec.map((img, k) => ({ img, name: `recon ${k}` })),
      ...samples.map((img, k) => ({ img, name: `sample ${k}` })),
    ].flatMap(({ img, name }) => img.map((v, p) => ({ name, row: Math.floor(p / 28), col: p % 28, value: v })));
    // a third model with a 2-D latent space, for the latent map (ELBO, otherwise the same budget)
    const vae2 = fitVAE(train, { ...base, latentDim: 2, onProgress: (p) => log(`VAE (2-D latent) epoch ${p.iteration}: −ELBO ${p.objective.toFixed(2)}`) });
    const z2 = vae2.encode(test).mean.to2DArray();
    const knn = knnAccuracy(z2, testLabels, 5);
    const knnVae = knnAccuracy(vae.encode(test).mean.to2DArray(), testLabels, 5);
    log(`2-D latent map: leave-one-out 5-NN accuracy of the digit labels ${knn.toFixed(3)} (10-D VAE latent ${knnVae.toFixed(3)}, chance 0.1)`);
    const latentMap = z2.map((z, i) => ({ z1: z[0], z2: z[1], digit: String(testLabels[i]) }));
    const curves = [
      ...(vae.report.trace ?? []).map((v, e) => ({ epoch: e + 1, bound: -v, model: 'VAE (ELBO)' })),
      ...(iwae.report.trace ?? []).map((v, e) => ({ epoch: e + 1, bound: -v, model: 'IWAE (k = 5)' })),
    ];
    return {
      summary:
        `Top: six binarised test digits, their VAE mean reconstructions and six samples from the prior decoded. Middle: the training bound per epoch (ELBO for the VAE, the k = 5 IWAE bound for the IWAE). Bottom: the 2-D latent map: the posterior means E[z | x] of the 200 test digits under a third VAE with a 2-D latent space (same architecture and budget otherwise), coloured by the digit's label, which the VAE never saw; a leave-one-out 5-nearest-neighbour vote on those labels in the map is right for ${(100 * knn).toFixed(1)} % of the test digits (chance 10 %; ${(100 * knnVae).toFixed(1)} % in the 10-D latent space of the VAE above). Metrics: test log-likelihood by the k = 100 importance estimate (nats per image, ± SE over 200 test images).`,
      metrics: {
        'train / test images': '2000 / 200',
        architecture: '784-200-(2×10) / 10-200-784, tanh, Bernoulli',
        'VAE test log p(x) (k = 100)': llVae.mean,
        'VAE test log p(x) SE': llVae.standardError,
        'IWAE test log p(x) (k = 100)': llIwae.mean,
        'IWAE test log p(x) SE': llIwae.standardError,
        'VAE test ELBO': elboVae,
        'IWAE-trained test ELBO': elboIwae,
        'VAE ms per step': tVae / steps,
        'IWAE (k = 5) ms per step': tIwae / steps,
        '2-D latent map: leave-one-out 5-NN label accuracy': knn,
        '10-D VAE latent: leave-one-out 5-NN label accuracy': knnVae,
      },
      claims: [
        atLeast('the k = 100 estimate of log p(x) is above the ELBO (VAE, test)', llVae.mean - elboVae, 0),
        atLeast('the k = 100 estimate of log p(x) is above the ELBO (IWAE, test)', llIwae.mean - elboIwae, 0),
        everyOf('both training bounds improved from the first to the last epoch', [vae, iwae], (m) => {
          const t = m.report.trace ?? [];
          return (t.at(-1) as number) < (t[0] as number);
        }),
        atLeast('the 2-D latent map groups digits by their (unseen) labels: leave-one-out 5-NN accuracy at least 2.5× chance', knn, 0.25),
      ],
      plots: [
        {
          title: 'Test digits, reconstructions, samples',
          data: { values: pixels },
          facet: { field: 'name', type: 'nominal', columns: 6, title: null, sort: null },
          spec: {
            width: 56,
            height: 56,
            mark: 'rect',
            encoding: {
              x: { field: 'col', type: 'ordinal', axis: null },
              y: { field: 'row', type: 'ordinal', axis: null },
              color: { field: 'value', type: 'quantitative', scale: { scheme: 'greys', domain: [0, 1] }, legend: null },
            },
          },
        },
        {
          title: 'Training bound per epoch (nats per image)',
          width: 420,
          height: 220,
          data: { values: curves },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'epoch', type: 'quantitative' },
            y: { field: 'bound', type: 'quantitative', scale: { zero: false } },
            color: { field: 'model', type: 'nominal' },
          },
        },
        {
          title: '2-D latent map: posterior means of the 200 test digits (VAE with a 2-D latent space), colour = digit',
          width: 420,
          height: 320,
          data: { values: latentMap },
          mark: { type: 'text', fontSize: 10 },
          encoding: {
            x: { field: 'z1', type: 'quantitative', title: 'E[z₁ | x]' },
            y: { field: 'z2', type: 'quantitative', title: 'E[z₂ | x]' },
            text: { field: 'digit', type: 'nominal' },
            color: { field: 'digit', type: 'nominal', scale: { scheme: 'category10' } },
          },
        },
      ],
    };
  },
};

export default demo;
