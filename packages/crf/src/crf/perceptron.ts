import { permutation, type Rng, throwIfAborted } from '@notes/core-linalg';
import { viterbiKernel } from '../chain/index.js';
import type { EncodedData, FeatureTable } from './featureTable.js';
import { fillUnary } from './objective.js';

/** Progress of one perceptron epoch. */
export interface PerceptronProgress {
  epoch: number;
  /** Fraction of training tokens mis-tagged during the epoch (before updates). */
  trainError: number;
  elapsed: number;
}

/**
 * Averaged structured perceptron (Collins 2002) on the CRF's feature table: for each sentence, decode
 * $\hat y = \arg\max_y \lambda^\top F(x, y)$ and update $\lambda \leftarrow \lambda + F(x, y) - F(x, \hat y)$;
 * returns the average of λ over all steps (computed with the lazy "w − u/c" trick, Daumé 2006 §2.5).
 */
export function trainPerceptron(
  table: FeatureTable,
  data: EncodedData,
  options: { epochs: number; rng: Rng; signal?: AbortSignal; onProgress?: (p: PerceptronProgress) => void },
): { weights: Float64Array; epochs: number } {
  const Y = table.labels.length;
  const { attrStart, stateLabel, nState } = table;
  const { seqStart, tokStart, attrIds, labels } = data;
  const nSeq = seqStart.length - 1;
  const w = new Float64Array(table.nWeights);
  const u = new Float64Array(table.nWeights);
  const unary = new Float64Array(data.maxLen * Y);
  const delta = new Float64Array(data.maxLen * Y);
  const back = new Int32Array(data.maxLen * Y);
  const path = new Int32Array(data.maxLen);
  const start = Date.now();
  let c = 1;
  const bump = (a: number, y: number, v: number) => {
    for (let k = attrStart[a]; k < attrStart[a + 1]; k++) {
      if (stateLabel[k] === y) {
        w[k] += v;
        u[k] += c * v;
        return;
      }
    }
  };
  for (let e = 0; e < options.epochs; e++) {
    throwIfAborted('fitCRF', options.signal);
    const order = permutation(options.rng, nSeq);
    let wrong = 0;
    for (let r = 0; r < nSeq; r++) {
      const s = order[r];
      const t0 = seqStart[s];
      const T = seqStart[s + 1] - t0;
      fillUnary(table, data, t0, t0 + T, w, unary);
      viterbiKernel(unary, w.subarray(nState), T, Y, delta, back, path);
      for (let t = 0; t < T; t++) {
        const g = labels[t0 + t];
        const p = path[t];
        const gPrev = t > 0 ? labels[t0 + t - 1] : -1;
        const pPrev = t > 0 ? path[t - 1] : -1;
        if (g !== p) {
          wrong++;
          for (let q = tokStart[t0 + t]; q < tokStart[t0 + t + 1]; q++) {
            bump(attrIds[q], g, 1);
            bump(attrIds[q], p, -1);
          }
        }
        if (t > 0 && (g !== p || gPrev !== pPrev)) {
          const kg = nState + gPrev * Y + g;
          const kp = nState + pPrev * Y + p;
          w[kg] += 1;
          u[kg] += c;
          w[kp] -= 1;
          u[kp] -= c;
        }
      }
      c++;
    }
    options.onProgress?.({ epoch: e + 1, trainError: wrong / seqStart[nSeq], elapsed: (Date.now() - start) / 1000 });
  }
  const avg = new Float64Array(w.length);
  for (let k = 0; k < w.length; k++) avg[k] = w[k] - u[k] / c;
  return { weights: avg, epochs: options.epochs };
}
