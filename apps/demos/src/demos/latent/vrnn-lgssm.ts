/**
 * Variational RNN on a linear-Gaussian state-space model (notes: "Variational RNN"; Chung et al. 2015):
 * s_{t+1} = A s_t + B u_t + w, y_t = C s_t + v with A = [[0.7, 0.8], [0, 0.1]], B = [−1, 0.1]ᵀ, C = [1, 0],
 * Var w = 0.25 I, Var v = 1 and u_t ~ N(0, 25/12) (the variance of U(−2.5, 2.5); Gaussian so that the model is exactly
 * linear-Gaussian), 5,000 training and 5,000 test steps as 100 sequences of 50. The Kalman filter gives the exact
 * test log-likelihood per step — the answer no model can beat in expectation; the VRNN's ELBO and k = 100
 * importance-weighted bound and the GRU baseline's exact log-likelihood are compared with it.
 */
import { createRng } from '@notes/core-linalg';
import { exampleLGSSM, fitRNNGaussian, fitVRNN, kalmanLogLikelihood, sampleLGSSM } from '@notes/latent';
import { atLeast, atMost } from '../../claims.js';
import type { Demo } from '../../demo.js';

const demo: Demo = {
  id: 'latent/vrnn-lgssm',
  title: 'Variational RNN vs the Kalman filter on a linear-Gaussian state-space model',
  section: 'Variational RNN',
  order: 430,
  run({ seed, log }) {
    const model = exampleLGSSM();
    const train = sampleLGSSM(model, 100, 50, createRng(seed));
    const test = sampleLGSSM(model, 100, 50, createRng(seed + 1));
    const T = 50;
    const kalman = test.reduce((s, y) => s + kalmanLogLikelihood(model, y), 0) / (test.length * T);
    const opts = { latentDim: 2, hidden: 16, features: 16, epochs: 25, batchSize: 10, lr: 3e-3, seed } as const;
    const vrnn = fitVRNN(train, { ...opts, onProgress: (p) => p.iteration % 10 === 0 && log(`VRNN epoch ${p.iteration}: −ELBO/step ${p.objective.toFixed(3)}`) });
    const rnn = fitRNNGaussian(train, { ...opts, onProgress: (p) => p.iteration % 10 === 0 && log(`RNN epoch ${p.iteration}: NLL/step ${p.objective.toFixed(3)}`) });
    const elbo = vrnn.elbo(test, { samples: 10, seed });
    const iw = vrnn.logLikelihood(test, { samples: 100, seed });
    const rnnLL = rnn.elbo(test);
    log(`test log-likelihood per step: Kalman ${kalman.toFixed(4)}, VRNN ELBO ${elbo.toFixed(4)}, VRNN k=100 ${iw.mean.toFixed(4)} ± ${iw.standardError.toFixed(4)}, RNN ${rnnLL.toFixed(4)}`);
    const rows = [
      { model: 'Kalman filter (exact)', value: kalman },
      { model: 'VRNN ELBO', value: elbo },
      { model: 'VRNN IW bound (k = 100)', value: iw.mean },
      { model: 'GRU baseline (exact)', value: rnnLL },
    ];
    return {
      summary:
        'Test log-likelihood per step (nats) on 100 held-out sequences of 50 steps: the exact Kalman filter, the VRNN’s ELBO and its k = 100 importance-weighted bound, and the GRU baseline without latents. Bars closer to the Kalman value are better; none can exceed it in expectation.',
      metrics: {
        'Kalman log-likelihood per step': kalman,
        'VRNN ELBO per step': elbo,
        'VRNN IW bound per step (k = 100)': iw.mean,
        'VRNN IW bound SE': iw.standardError,
        'GRU baseline log-likelihood per step': rnnLL,
        'gap Kalman − VRNN ELBO': kalman - elbo,
        'gap Kalman − VRNN IW (k = 100)': kalman - iw.mean,
      },
      claims: [
        atLeast('the k = 100 bound is at least the ELBO', iw.mean - elbo, 0),
        atMost('no model beats the exact Kalman log-likelihood by more than 3 SE', iw.mean - kalman, 3 * iw.standardError),
      ],
      plots: [
        {
          title: 'Test log-likelihood per step',
          width: 420,
          height: 200,
          data: { values: rows },
          mark: 'bar',
          encoding: {
            y: { field: 'model', type: 'nominal', sort: null, title: null },
            x: { field: 'value', type: 'quantitative', scale: { zero: false }, title: 'nats per step' },
          },
        },
      ],
    };
  },
};

export default demo;
