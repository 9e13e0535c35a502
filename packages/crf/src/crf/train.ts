import {
  assertInteger,
  assertNonNegative,
  assertPositive,
  createRng,
  DomainError,
  minimizeLBFGS,
  type Rng,
  withDefaults,
} from '@notes/core-linalg';
import { type FeatureTemplates, resolveTemplates } from './attributes.js';
import { buildFeatureTable, checkSentences, type TaggedSentence } from './featureTable.js';
import { CRFModel } from './model.js';
import { CRFObjective } from './objective.js';
import { type PerceptronProgress, trainPerceptron } from './perceptron.js';

/** Progress of {@link fitCRF}: one L-BFGS iteration or one perceptron epoch. */
export interface CRFProgress {
  iteration: number;
  /** L-BFGS: regularised negative log-likelihood; perceptron: training error rate of the epoch. */
  objective: number;
  elapsed: number;
}

/** Options of {@link fitCRF}. */
export interface FitCRFOptions {
  /** Feature templates. @defaultValue DEFAULT_TEMPLATES */
  templates?: FeatureTemplates;
  /** 'lbfgs' (L2-regularised CLL, exact) or 'perceptron' (averaged structured perceptron, fast). @defaultValue 'lbfgs' */
  algorithm?: 'lbfgs' | 'perceptron';
  /** L2 coefficient c₂ in $\tfrac{c_2}{2}\lVert\lambda\rVert^2$. @defaultValue 1 */
  l2?: number;
  /** L-BFGS iteration cap. @defaultValue 100 */
  maxIterations?: number;
  /** L-BFGS gradient tolerance (inf-norm). @defaultValue 1e-5 */
  gradTol?: number;
  /** L-BFGS relative decrease tolerance. @defaultValue 1e-7 */
  fTol?: number;
  /** Attributes seen fewer times are dropped. @defaultValue 1 */
  minFeatureCount?: number;
  /** Perceptron epochs. @defaultValue 8 */
  epochs?: number;
  /** Shuffling for the perceptron. @defaultValue createRng(0) */
  rng?: Rng;
  onProgress?: (info: CRFProgress) => void;
  signal?: AbortSignal;
}

const DEFAULTS = {
  algorithm: 'lbfgs',
  l2: 1,
  maxIterations: 100,
  gradTol: 1e-5,
  fTol: 1e-7,
  minFeatureCount: 1,
  epochs: 8,
} as const;

/** Result of {@link fitCRF}. */
export interface FitCRFResult {
  model: CRFModel;
  converged: boolean;
  iterations: number;
  /** Objective evaluations (L-BFGS: iterations plus extra line-search steps; perceptron: epochs). */
  evaluations: number;
  reason: string;
  /** Objective after each iteration (L-BFGS) or training error per epoch (perceptron). */
  trace: number[];
  /** Number of weights (state features + Y²). */
  features: number;
  tokens: number;
}

/**
 * Trains a linear-chain CRF on tagged sentences. 'lbfgs' minimises the L2-regularised negative conditional
 * log-likelihood with core's L-BFGS (gradient = expected − empirical feature counts + c₂λ, see `CRFObjective`);
 * 'perceptron' runs the averaged structured perceptron for large data.
 * @throws ShapeError on empty data or token/tag length mismatch; DomainError on bad options; AbortError.
 * @example const { model } = fitCRF([{ tokens: ['the', 'dog'], tags: ['DET', 'NOUN'] }]); model.predict(['the', 'cat'])
 */
export function fitCRF(data: readonly TaggedSentence[], options: FitCRFOptions = {}): FitCRFResult {
  const where = 'fitCRF';
  const o = withDefaults(DEFAULTS, options);
  checkSentences(where, data, true);
  assertNonNegative(where, 'options.l2', o.l2);
  assertInteger(where, 'options.maxIterations', o.maxIterations, 1);
  assertPositive(where, 'options.gradTol', o.gradTol);
  assertInteger(where, 'options.minFeatureCount', o.minFeatureCount, 1);
  assertInteger(where, 'options.epochs', o.epochs, 1);
  if (o.algorithm !== 'lbfgs' && o.algorithm !== 'perceptron') {
    throw new DomainError(`${where}: options.algorithm must be 'lbfgs' or 'perceptron', got ${String(o.algorithm)}`);
  }
  const tpl = resolveTemplates(where, o.templates);
  const { table, encoded: enc } = buildFeatureTable(data, tpl, o.minFeatureCount);
  const tokens = enc.labels.length;
  if (o.algorithm === 'perceptron') {
    const trace: number[] = [];
    const onProgress = (p: PerceptronProgress) => {
      trace.push(p.trainError);
      o.onProgress?.({ iteration: p.epoch, objective: p.trainError, elapsed: p.elapsed });
    };
    const r = trainPerceptron(table, enc, { epochs: o.epochs, rng: o.rng ?? createRng(0), signal: o.signal, onProgress });
    return { model: new CRFModel(table, tpl, r.weights), converged: true, iterations: r.epochs, evaluations: r.epochs, reason: 'epochs', trace, features: table.nWeights, tokens };
  }
  const obj = new CRFObjective(table, enc, o.l2);
  const grad = new Float64Array(table.nWeights);
  const res = minimizeLBFGS(
    (w) => {
      const value = obj.evaluate(w, grad);
      return { value, gradient: grad };
    },
    new Float64Array(table.nWeights),
    {
      maxIterations: o.maxIterations,
      gradTol: o.gradTol,
      fTol: o.fTol,
      signal: o.signal,
      onProgress: (p) => o.onProgress?.({ iteration: p.iteration, objective: p.objective, elapsed: p.elapsedMs / 1000 }),
    },
  );
  return {
    model: new CRFModel(table, tpl, res.x),
    converged: res.report.converged,
    iterations: res.report.iterations,
    evaluations: res.report.evaluations,
    reason: res.report.reason,
    trace: [...res.report.trace],
    features: table.nWeights,
    tokens,
  };
}
