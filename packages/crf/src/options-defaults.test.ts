import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { resolveTemplates } from './crf/attributes.js';
import type { TaggedSentence } from './crf/featureTable.js';
import { fitCRF } from './crf/train.js';
import { fitHMM, randomHMM } from './hmm/baumWelch.js';
import { estimateHMM } from './hmm/estimate.js';
import { fitHMMTagger } from './tagger/hmmTagger.js';

// Regression: `{ ...DEFAULTS, ...options }` let an explicit `undefined` erase a default (callers that
// forward their own optional values). Every call with defaulted options set to `undefined` must equal the
// call without those keys.

/** A model's JSON without the wall-clock field of its report. */
function withoutTimes<T extends { report?: unknown }>(json: T): T {
  const { report, ...rest } = json as T & { report?: Record<string, unknown> };
  if (report === undefined) return json;
  const { elapsedMs: _elapsed, ...r } = report;
  return { ...rest, report: r } as T;
}

const toy: TaggedSentence[] = [
  { tokens: ['The', 'dog', 'runs'], tags: ['D', 'N', 'V'] },
  { tokens: ['a', 'cat', 'sleeps', 'here'], tags: ['D', 'N', 'V', 'R'] },
  { tokens: ['Dogs', 'run'], tags: ['N', 'V'] },
  { tokens: ['the', 'running', 'dog'], tags: ['D', 'A', 'N'] },
];

describe('Conditional random fields: explicit undefined options keep the defaults', () => {
  test('fitCRF (L-BFGS)', () => {
    const ref = fitCRF(toy);
    const unset = { algorithm: undefined, l2: undefined, maxIterations: undefined, gradTol: undefined, fTol: undefined, minFeatureCount: undefined };
    const got = fitCRF(toy, unset);
    expect(withoutTimes(got.toJSON())).toEqual(withoutTimes(ref.toJSON()));
    expect(got.report.trace).toEqual(ref.report.trace);
  });

  test('fitCRF (perceptron): undefined epochs keep the default', () => {
    const ref = fitCRF(toy, { algorithm: 'perceptron', rng: createRng(1) });
    const got = fitCRF(toy, { algorithm: 'perceptron', epochs: undefined, rng: createRng(1) });
    expect(withoutTimes(got.toJSON())).toEqual(withoutTimes(ref.toJSON()));
  });

  test('feature templates: undefined entries keep the default templates', () => {
    const ref = resolveTemplates('test', {});
    expect(resolveTemplates('test', { window: undefined, prefixes: undefined, word: undefined })).toEqual(ref);
    expect(resolveTemplates('test', undefined)).toEqual(ref);
  });
});

describe('Hidden Markov models: explicit undefined options keep the defaults', () => {
  const seqs = [
    [0, 1, 2, 2, 1, 0, 0, 1],
    [2, 2, 1, 0, 1, 2],
  ];

  test('fitHMM (Baum–Welch)', () => {
    const init = randomHMM({ states: 2, symbols: 3, rng: createRng(9) });
    const ref = fitHMM(seqs, { init });
    const got = fitHMM(seqs, { init, maxIterations: undefined, tol: undefined, smoothing: undefined, varianceFloor: undefined });
    expect(withoutTimes(got.toJSON())).toEqual(withoutTimes(ref.toJSON()));
    expect(got.report.trace).toEqual(ref.report.trace);
  });

  test('estimateHMM (supervised counts)', () => {
    const data = [{ observations: [0, 1, 2], states: [0, 1, 1] }, { observations: [2, 0], states: [1, 0] }];
    const ref = estimateHMM(data, { states: 2, symbols: 3 });
    const got = estimateHMM(data, { states: 2, symbols: 3, emission: undefined, smoothing: undefined, varianceFloor: undefined });
    expect(withoutTimes(got.toJSON())).toEqual(withoutTimes(ref.toJSON()));
  });

  test('fitHMMTagger', () => {
    const ref = fitHMMTagger(toy);
    const got = fitHMMTagger(toy, { rareThreshold: undefined, maxSuffix: undefined, smoothing: undefined });
    expect(withoutTimes(got.toJSON())).toEqual(withoutTimes(ref.toJSON()));
  });
});
