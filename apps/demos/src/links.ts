/**
 * Where each demo's section leads: the notes heading (as written in docs/notes/notes.txt), the modules it
 * shows and the tests that prove them (repository paths). `linksFor` falls back to the demo's own fields
 * and, for a demo not listed here, to its package's source folder.
 */
import type { Demo } from './demo.js';

/** Links of one demo. */
export interface DemoLinks {
  notes?: string;
  code: string[];
  tests: string[];
}

const P = 'packages/';
/** Demo id → links. Paths are relative to the repository root. */
export const DEMO_LINKS: Record<string, DemoLinks> = {
  'core/nfl': { notes: 'NFL 定理', code: ['apps/demos/src/demos/core/nfl.ts'], tests: ['apps/demos/src/demos/core/nfl.test.ts'] },
  'core/montecarlo': { notes: 'Monte-Carlo estimation', code: [`${P}core-linalg/src/montecarlo/`], tests: [`${P}core-linalg/src/montecarlo/montecarlo.test.ts`] },
  'core/convolution': { notes: '卷积和卷积定理', code: [`${P}core-linalg/src/fft/convolve.ts`], tests: [`${P}core-linalg/src/fft/convolve.test.ts`, `${P}core-linalg/src/fft/scipy-reference.test.ts`] },
  'core/cg': { notes: 'Conjugate gradient algorithm', code: [`${P}core-linalg/src/linalg/conjugate-gradient.ts`], tests: [`${P}core-linalg/src/linalg/conjugate-gradient.test.ts`] },
  'core-autodiff/mnist-cnn': { notes: 'Depthwise Separable Convolution', code: [`${P}core-linalg/src/autodiff/ops/conv.ts`, `${P}core-linalg/src/nn/conv.ts`], tests: [`${P}core-linalg/src/nn/cnn.test.ts`, `${P}core-linalg/src/nn/layers.test.ts`] },
  'bayes/conjugate-updating': { notes: 'Conjugate distribution', code: [`${P}bayes/src/conjugate/`], tests: [`${P}bayes/src/conjugate/beta-bernoulli.test.ts`, `${P}bayes/src/conjugate/normal-gamma.test.ts`] },
  'bayes/cavi-elbo': { notes: 'Mean field approximation', code: [`${P}bayes/src/variational/`], tests: [`${P}bayes/src/variational/cavi-gaussian.test.ts`, `${P}bayes/src/variational/vbgmm.test.ts`] },
  'bayes/dp-stick-breaking': { notes: 'Dirichlet process', code: [`${P}bayes/src/dp/`], tests: [`${P}bayes/src/dp/dp.test.ts`] },
  'bayes/dpmm-clusters': { notes: 'DPMM with Gibbs sampling', code: [`${P}bayes/src/dpmm/`], tests: [`${P}bayes/src/dpmm/dpmm.test.ts`] },
  'bayes/nce-noise-ratio': { notes: 'Noise-contrastive estimation', code: [`${P}bayes/src/nce/`], tests: [`${P}bayes/src/nce/nce.test.ts`] },
  'gp/priors': { notes: 'Gaussian Process', code: [`${P}gp/src/kernels/`], tests: [`${P}gp/src/kernels/kernels.test.ts`] },
  'gp/posterior': { notes: 'GP Regression', code: [`${P}gp/src/gp-regression/`], tests: [`${P}gp/src/gp-regression/sklearn.test.ts`] },
  'gp/mauna-loa': { notes: 'GP Regression', code: [`${P}gp/src/gp-regression/`, 'apps/demos/fixtures/make_co2_forecast.py'], tests: [`${P}gp/src/gp-regression/sklearn.test.ts`] },
  'gp/flights-sgpr': { notes: 'Deep Gaussian Process', code: [`${P}gp/src/sparse/`], tests: [`${P}gp/src/sparse/sgpr.test.ts`, `${P}gp/src/sparse/svgp.test.ts`] },
  'gp/deep-gp': { notes: 'Deep Gaussian Process', code: [`${P}gp/src/deep-gp/`], tests: [`${P}gp/src/deep-gp/deep-gp.test.ts`, `${P}gp/src/deep-gp/conventions.test.ts`] },
  'gp/bayesian-optimization': { notes: 'Bayesian optimization', code: [`${P}gp/src/bayesian-optimization/`], tests: [`${P}gp/src/bayesian-optimization/bo.test.ts`] },
  'latent/gmm-ppca-penguins': { notes: 'Categorical latent variables', code: [`${P}latent/src/mixture/`, `${P}latent/src/pca/`], tests: [`${P}latent/src/mixture/gaussian-mixture.test.ts`, `${P}latent/src/pca/ppca.test.ts`] },
  'latent/mppca-mnist': { notes: 'Mixture PCA', code: [`${P}latent/src/pca/mixture-ppca.ts`], tests: [`${P}latent/src/pca/mixture-ppca.test.ts`] },
  'latent/estimator-variance': { notes: 'Control Variates', code: [`${P}latent/src/discrete/`], tests: [`${P}latent/src/discrete/discrete.test.ts`] },
  'latent/vae-mnist': { notes: 'VAE Algorithm', code: [`${P}latent/src/vae/`], tests: [`${P}latent/src/vae/vae.test.ts`] },
  'latent/vrnn-lgssm': { notes: 'Variational RNN', code: [`${P}latent/src/vrnn/`], tests: [`${P}latent/src/vrnn/vrnn.test.ts`, `${P}latent/src/vrnn/vrnn-grad.test.ts`] },
  'latent/vrnn-weather': { notes: 'Variational RNN', code: [`${P}latent/src/vrnn/`], tests: [`${P}latent/src/vrnn/vrnn.test.ts`, `${P}latent/src/vrnn/vrnn-grad.test.ts`] },
  'latent/flows-2d': { notes: 'Normalizing Flows', code: [`${P}latent/src/flows/`], tests: [`${P}latent/src/flows/realnvp.test.ts`] },
  'latent/protonce-digits': { notes: 'Prototypical Contrastive Learning', code: [`${P}latent/src/contrastive/`], tests: [`${P}latent/src/contrastive/protonce.test.ts`] },
  'gan/transport-plan': { notes: 'Optimal transport', code: [`${P}gan/src/ot/emd.ts`, `${P}gan/src/ot/sinkhorn.ts`], tests: [`${P}gan/src/ot/emd.test.ts`, `${P}gan/src/ot/sinkhorn.test.ts`] },
  'gan/sinkhorn-reg': { notes: 'Optimal transport', code: [`${P}gan/src/ot/sinkhorn.ts`], tests: [`${P}gan/src/ot/sinkhorn.test.ts`] },
  'gan/fdivergence-gaussians': { notes: 'GAN', code: [`${P}gan/src/fdivergence/`], tests: [`${P}gan/src/fdivergence/divergences.test.ts`] },
  'gan/gan-ring': { notes: 'Gan Algorithm', code: [`${P}gan/src/gan/`], tests: [`${P}gan/src/gan/gan.test.ts`] },
  'crf/hmm-posterior': { notes: 'HMM', code: [`${P}crf/src/hmm/`, `${P}crf/src/tagger/`], tests: [`${P}crf/src/hmm/hmm.test.ts`, `${P}crf/src/tagger/tagger.test.ts`] },
  'crf/crf-brown': { notes: 'Linear CRF', code: [`${P}crf/src/crf/`], tests: [`${P}crf/src/crf/crf.test.ts`] },
  'crf/crf-async-abort': { notes: 'Linear CRF', code: [`${P}crf/src/crf/`], tests: [`${P}crf/src/conformance.test.ts`] },
  'crf/forward-backward': { notes: 'Linear CRF', code: [`${P}crf/src/chain/`], tests: [`${P}crf/src/chain/chain.test.ts`] },
  'hyena/ssm-memory': { notes: '记忆力', code: [`${P}hyena/src/ssm/`, `${P}hyena/src/memory/`], tests: [`${P}hyena/src/ssm/ssm.test.ts`, `${P}hyena/src/memory/profile.test.ts`] },
  'hyena/circulant': { notes: 'Hyena Hierarchy', code: [`${P}hyena/src/toeplitz/`], tests: [`${P}hyena/src/toeplitz/toeplitz.test.ts`] },
  'hyena/scaling': { notes: 'Hyena Hierarchy', code: [`${P}hyena/src/hyena/`], tests: [`${P}hyena/src/hyena/operator.test.ts`] },
  'hyena/recall': { notes: 'Hyena Hierarchy', code: [`${P}hyena/src/sequence/`], tests: [`${P}hyena/src/sequence/sequence.test.ts`] },
};

/** The links of a demo: its own fields first, then this table, then its package folder. */
export function linksFor(demo: Demo): DemoLinks {
  const entry = DEMO_LINKS[demo.id];
  const pkg = demo.id.split('/')[0]?.replace(/^core(-autodiff)?$/, 'core-linalg') ?? '';
  const notes = demo.notes ?? entry?.notes;
  return {
    ...(notes !== undefined ? { notes } : {}),
    code: demo.code ?? entry?.code ?? [`${P}${pkg}/src/`],
    tests: demo.tests ?? entry?.tests ?? [`${P}${pkg}/src/`],
  };
}
