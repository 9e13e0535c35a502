/**
 * Clustering agreement scores used to evaluate learned embeddings: normalized and adjusted mutual
 * information between two labelings (as scikit-learn's `normalized_mutual_info_score` and
 * `adjusted_mutual_info_score` with the default arithmetic mean).
 */
import { gammaln, ShapeError, readLabels } from '@notes/core-linalg';

interface Table {
  n: number;
  a: number[];
  b: number[];
  cells: Map<number, number>;
  cols: number;
}

function table(where: string, labelsA: ArrayLike<number>, labelsB: ArrayLike<number>): Table {
  const u = readLabels(where, 'labelsA', labelsA);
  const v = readLabels(where, 'labelsB', labelsB);
  if (u.length !== v.length) throw new ShapeError(`${where}: 'labelsA' has ${u.length} entries but 'labelsB' has ${v.length}`);
  // relabel to 0…r−1 and 0…c−1 in order of first appearance
  const mapA = new Map<number, number>();
  const mapB = new Map<number, number>();
  for (let i = 0; i < u.length; i++) {
    if (!mapA.has(u[i] as number)) mapA.set(u[i] as number, mapA.size);
    if (!mapB.has(v[i] as number)) mapB.set(v[i] as number, mapB.size);
  }
  const a = new Array<number>(mapA.size).fill(0);
  const b = new Array<number>(mapB.size).fill(0);
  const cells = new Map<number, number>();
  const cols = mapB.size;
  for (let i = 0; i < u.length; i++) {
    const r = mapA.get(u[i] as number) as number;
    const c = mapB.get(v[i] as number) as number;
    a[r] = (a[r] as number) + 1;
    b[c] = (b[c] as number) + 1;
    const key = r * cols + c;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  return { n: u.length, a, b, cells, cols };
}

function entropy(counts: readonly number[], n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

function mutualInfo(t: Table): number {
  let mi = 0;
  for (const [key, nij] of t.cells) {
    const ai = t.a[Math.floor(key / t.cols)] as number;
    const bj = t.b[key % t.cols] as number;
    mi += (nij / t.n) * Math.log((t.n * nij) / (ai * bj));
  }
  return Math.max(0, mi);
}

/**
 * Expected mutual information under the permutation (hypergeometric) model (Vinh, Epps & Bailey 2010):
 * $$E[\mathrm{MI}] = \sum_{i,j}\sum_{n_{ij}}\frac{n_{ij}}{N}\log\frac{N n_{ij}}{a_i b_j}
 *   \frac{a_i!\,b_j!\,(N-a_i)!\,(N-b_j)!}{N!\,n_{ij}!\,(a_i-n_{ij})!\,(b_j-n_{ij})!\,(N-a_i-b_j+n_{ij})!}.$$
 */
function expectedMutualInfo(t: Table): number {
  const N = t.n;
  const lf = (x: number) => gammaln(x + 1);
  const lN = lf(N);
  let emi = 0;
  for (const ai of t.a) {
    for (const bj of t.b) {
      const lo = Math.max(1, ai + bj - N);
      const hi = Math.min(ai, bj);
      const fixed = lf(ai) + lf(bj) + lf(N - ai) + lf(N - bj) - lN;
      for (let nij = lo; nij <= hi; nij++) {
        const logP = fixed - lf(nij) - lf(ai - nij) - lf(bj - nij) - lf(N - ai - bj + nij);
        emi += (nij / N) * Math.log((N * nij) / (ai * bj)) * Math.exp(logP);
      }
    }
  }
  return emi;
}

/**
 * Normalized mutual information NMI = MI(U, V) / ((H(U) + H(V)) / 2) between two labelings of the same
 * items (any integer labels ≥ 0). 1 for identical partitions (also when both have a single cluster),
 * 0 for independent ones.
 * @throws ShapeError/DomainError for bad or unequal-length labels.
 * @example normalizedMutualInfo([0, 0, 1, 1], [1, 1, 0, 0]) // 1
 */
export function normalizedMutualInfo(labelsA: ArrayLike<number>, labelsB: ArrayLike<number>): number {
  const t = table('normalizedMutualInfo', labelsA, labelsB);
  if (t.a.length === 1 && t.b.length === 1) return 1;
  const mi = mutualInfo(t);
  if (mi === 0) return 0;
  return mi / ((entropy(t.a, t.n) + entropy(t.b, t.n)) / 2);
}

/**
 * Adjusted mutual information AMI = (MI − E[MI]) / ((H(U) + H(V))/2 − E[MI]) (Vinh et al. 2010; the
 * arithmetic mean, scikit-learn's default): 1 for identical partitions, ≈ 0 in expectation for random
 * ones (it can be negative).
 * @throws ShapeError/DomainError for bad or unequal-length labels.
 * @example adjustedMutualInfo([0, 0, 1, 1], [0, 0, 1, 1]) // 1
 */
export function adjustedMutualInfo(labelsA: ArrayLike<number>, labelsB: ArrayLike<number>): number {
  const t = table('adjustedMutualInfo', labelsA, labelsB);
  if (t.a.length === t.b.length && (t.a.length === 1 || t.a.length === 0)) return 1;
  const mi = mutualInfo(t);
  const emi = expectedMutualInfo(t);
  const mean = (entropy(t.a, t.n) + entropy(t.b, t.n)) / 2;
  let denom = mean - emi;
  const eps = Number.EPSILON;
  denom = denom < 0 ? Math.min(denom, -eps) : Math.max(denom, eps);
  return (mi - emi) / denom;
}
