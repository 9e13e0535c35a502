/**
 * NFL theorem (notes: NFL 定理), checked exhaustively. Domain 𝒳 = {0,1}^d, a fixed training set X ⊂ 𝒳,
 * every target f: 𝒳 → {0,1} (all 2^|𝒳| of them). For each learner ξ the off-training-set error
 * $E_{ote}(\xi|X,f) = \sum_h \sum_{x \in \mathcal{X}-X} P(x)\,\mathbb{I}(h(x) \ne f(x))\,P(h|X,\xi)$
 * is summed over f and compared with the notes' closed form $2^{|\mathcal{X}|-1}\sum_{x\in\mathcal{X}-X}P(x)$.
 * (The notes write P(X) inside the sum; the derivation needs the probability P(x) of each point.)
 */
import { atLeast, atMost, equals } from '../../claims.js';
import type { Demo } from '../../demo.js';

type Learner = {
  name: string;
  /** Probability that the learned hypothesis predicts 1 at x, given the labelled training set. */
  predictOne(train: { x: number; y: number }[], x: number, d: number): number;
};

const hamming = (a: number, b: number): number => {
  let v = a ^ b;
  let n = 0;
  while (v) {
    n += v & 1;
    v >>= 1;
  }
  return n;
};

const nearestLabel = (train: { x: number; y: number }[], x: number): number => {
  let best = train[0]!;
  for (const t of train) if (hamming(t.x, x) < hamming(best.x, x)) best = t;
  return best.y;
};

const LEARNERS: Learner[] = [
  { name: 'always 0', predictOne: () => 0 },
  {
    name: 'majority label',
    predictOne: (train) => (train.filter((t) => t.y === 1).length * 2 >= train.length ? 1 : 0),
  },
  { name: '1-nearest neighbour', predictOne: (train, x) => nearestLabel(train, x) },
  { name: 'anti 1-NN (predicts the opposite)', predictOne: (train, x) => 1 - nearestLabel(train, x) },
  { name: 'parity of x (ignores data)', predictOne: (_t, x, d) => hamming(x, 0) % 2 + 0 * d },
  { name: 'fair coin (P(h|X) uniform)', predictOne: () => 0.5 },
];

/** Sum over all targets f of the expected off-training-set error, plus its spread over f. */
export function nflSums(d: number, trainPoints: number[], pOfX: (x: number) => number) {
  const size = 1 << d;
  const offTrain = Array.from({ length: size }, (_, x) => x).filter((x) => !trainPoints.includes(x));
  const closedForm = 2 ** (size - 1) * offTrain.reduce((s, x) => s + pOfX(x), 0);
  const rows = LEARNERS.map((learner) => {
    let total = 0;
    let best = Number.POSITIVE_INFINITY;
    let worst = 0;
    for (let f = 0; f < 2 ** size; f++) {
      const label = (x: number): number => (f >> x) & 1;
      const train = trainPoints.map((x) => ({ x, y: label(x) }));
      let err = 0;
      for (const x of offTrain) {
        const p1 = learner.predictOne(train, x, d);
        err += pOfX(x) * (label(x) === 1 ? 1 - p1 : p1);
      }
      total += err;
      best = Math.min(best, err);
      worst = Math.max(worst, err);
    }
    return { learner: learner.name, summedError: total, closedForm, bestTask: best, worstTask: worst };
  });
  return { rows, closedForm, targets: 2 ** size, offTrain: offTrain.length };
}

const demo: Demo = {
  id: 'core/nfl',
  title: 'No free lunch: every learner has the same summed off-training-set error',
  section: 'NFL 定理 (No Free Lunch theorem)',
  order: 100,
  run() {
    const d = 3;
    const train = [0, 3, 5, 6];
    // A non-uniform P(x): the theorem holds for any distribution over the domain.
    const weights = [1, 2, 3, 4, 5, 6, 7, 8];
    const z = weights.reduce((a, b) => a + b, 0);
    const { rows, closedForm, targets, offTrain } = nflSums(d, train, (x) => (weights[x] ?? 0) / z);
    const maxDev = Math.max(...rows.map((r) => Math.abs(r.summedError - closedForm)));
    return {
      claims: [
        atMost("every learner's summed off-training error equals 2^{|𝒳|−1} Σ_{x∉X} P(x): max deviation", maxDev, 1e-9),
        equals('target functions enumerated (all 2^(2^d))', targets, 2 ** (1 << d)),
        atLeast('learners disagree on single tasks (largest best/worst gap)', Math.max(...rows.map((r) => r.worstTask - r.bestTask)), 0.1),
      ],
      summary:
        `Domain {0,1}^${d} (${1 << d} points, non-uniform P(x)), ${train.length} training points, all ${targets} target functions enumerated. ` +
        'Learners differ task by task (best/worst columns), yet their error summed over all targets equals the notes\' closed form 2^{|𝒳|−1} Σ_{x∉X} P(x). ' +
        'The notes write P(X) inside the sum; the derivation needs P(x), the probability of each off-training point.',
      metrics: {
        'target functions': targets,
        'off-training points': offTrain,
        'closed form 2^{|X|-1} Σ P(x)': closedForm,
        'max |summed error − closed form|': maxDev,
        'all learners equal': maxDev < 1e-9,
      },
      tables: [{ title: 'Summed off-training-set error per learner', rows }],
      plots: [
        {
          title: 'Off-training-set error summed over all targets',
          data: { values: rows.map((r) => ({ learner: r.learner, kind: 'summed over f', error: r.summedError })) },
          mark: 'bar',
          encoding: {
            y: { field: 'learner', type: 'nominal', sort: null, title: null },
            x: { field: 'error', type: 'quantitative', title: 'Σ_f E_ote' },
          },
        },
      ],
    };
  },
};

export default demo;
