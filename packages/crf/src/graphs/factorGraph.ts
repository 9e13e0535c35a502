import { assertInteger, assertNonEmpty, checkMemory, DomainError, describeValue, readVector, ShapeError } from '@notes/core-linalg';

/** One factor Ψ_A: its scope (variable indices) and a non-negative table over the scope's joint states. */
export interface FactorSpec {
  /** Variables A the factor depends on (distinct). */
  scope: readonly number[];
  /**
   * Table of Ψ_A(x_A) ≥ 0, row-major over the scope: the last variable of the scope varies fastest,
   * so its length is the product of the scope's cardinalities.
   */
  table: ArrayLike<number>;
}

/**
 * A factor graph over discrete variables with table potentials (notes: Graphical Model, 因子图):
 * $$p(x) = \frac1Z \prod_A \Psi_A(x_A),\qquad Z = \sum_x \prod_A \Psi_A(x_A).$$
 * Immutable; build with {@link createFactorGraph}.
 */
export interface FactorGraph {
  /** Cardinality of each variable. */
  readonly cardinalities: readonly number[];
  /** Factors (tables copied into Float64Arrays). */
  readonly factors: readonly { readonly scope: readonly number[]; readonly table: Float64Array }[];
  /** $\prod_A \Psi_A(x_A)$ for a full assignment. */
  unnormalized(x: ArrayLike<number>): number;
  /** Row-major offset of assignment `x` within factor `k`'s table. */
  tableIndex(k: number, x: ArrayLike<number>): number;
}

/**
 * Builds a {@link FactorGraph}.
 * @throws DomainError for bad cardinalities/scopes or negative potentials; ShapeError for wrong table sizes;
 * NonFiniteError for NaN/∞ potentials.
 */
export function createFactorGraph(cardinalities: readonly number[], factors: readonly FactorSpec[]): FactorGraph {
  const where = 'createFactorGraph';
  if (!Array.isArray(cardinalities)) throw new ShapeError(`${where}: argument 'cardinalities' must be an array of integers, got ${describeValue(cardinalities)}`);
  assertNonEmpty(where, 'cardinalities', cardinalities);
  for (let i = 0; i < cardinalities.length; i++) assertInteger(where, `cardinalities[${i}]`, cardinalities[i], 1);
  if (!Array.isArray(factors)) throw new ShapeError(`${where}: argument 'factors' must be an array of { scope, table }, got ${describeValue(factors)}`);
  const n = cardinalities.length;
  const fs = Array.from({ length: factors.length }, (_, k) => {
    const f = factors[k];
    if (typeof f !== 'object' || f === null || !Array.isArray(f.scope)) throw new ShapeError(`${where}: argument 'factors[${k}].scope' must be an array, got ${describeValue(f?.scope)}`);
    for (let i = 0; i < f.scope.length; i++) assertInteger(where, `factors[${k}].scope[${i}]`, f.scope[i], 0, n - 1);
    if (new Set(f.scope).size !== f.scope.length) {
      throw new DomainError(`${where}: argument 'factors[${k}].scope' repeats a variable`);
    }
    const size = f.scope.reduce((p: number, v: number) => p * cardinalities[v], 1);
    checkMemory(where, `the table of factors[${k}] (${size} entries)`, 8 * size, { alternative: 'smaller scopes' });
    const table = readVector(where, `factors[${k}].table`, f.table, { length: size });
    table.forEach((v, i) => {
      if (v < 0) throw new DomainError(`${where}: argument 'factors[${k}].table' must be >= 0, got ${v} at [${i}]`);
    });
    return { scope: [...f.scope], table };
  });
  const cards = [...cardinalities];
  const tableIndex = (k: number, x: ArrayLike<number>): number => {
    let idx = 0;
    for (const v of fs[k].scope) idx = idx * cards[v] + x[v];
    return idx;
  };
  const fg: FactorGraph = {
    cardinalities: cards,
    factors: fs,
    tableIndex,
    unnormalized(x) {
      let p = 1;
      for (let k = 0; k < fs.length; k++) p *= fs[k].table[tableIndex(k, x)];
      return p;
    },
  };
  CREATED.add(Object.freeze(fg));
  return fg;
}

/** Factor graphs built by {@link createFactorGraph} (so the algorithms can refuse anything else). */
const CREATED = new WeakSet<object>();

/** @internal throws unless `fg` came from {@link createFactorGraph}. */
export function checkFactorGraph(where: string, fg: unknown): asserts fg is FactorGraph {
  if (typeof fg !== 'object' || fg === null || !CREATED.has(fg)) {
    throw new DomainError(`${where}: argument 'fg' must be a factor graph from createFactorGraph, got ${describeValue(fg)}`);
  }
}

/** Result of {@link bruteForceFactorGraph}. */
export interface BruteForceResult {
  /** Partition function Z. */
  Z: number;
  /** log Z. */
  logZ: number;
  /** Single-variable marginals p(x_v). */
  marginals: Float64Array[];
}

/**
 * Exact Z and marginals by enumerating every joint assignment (notes: $Z = \sum_x \prod_A \Psi_A(x_A)$).
 * Refuses more than 2,000,000 joint states.
 * @throws DomainError when the state space is too large, Z = 0 or Z overflows a double.
 */
export function bruteForceFactorGraph(fg: FactorGraph): BruteForceResult {
  checkFactorGraph('bruteForceFactorGraph', fg);
  const cards = fg.cardinalities;
  const total = cards.reduce((p, c) => p * c, 1);
  if (total > 2e6) throw new DomainError(`bruteForceFactorGraph: ${total} joint states is too many (limit 2e6)`);
  const x = new Int32Array(cards.length);
  const marg = cards.map((c) => new Float64Array(c));
  let Z = 0;
  for (let k = 0; k < total; k++) {
    let r = k;
    for (let v = cards.length - 1; v >= 0; v--) {
      x[v] = r % cards[v];
      r = Math.floor(r / cards[v]);
    }
    const p = fg.unnormalized(x);
    Z += p;
    for (let v = 0; v < cards.length; v++) marg[v][x[v]] += p;
  }
  if (!(Z > 0)) throw new DomainError('bruteForceFactorGraph: Z = 0 (every assignment has zero potential)');
  if (Z === Number.POSITIVE_INFINITY) {
    throw new DomainError("bruteForceFactorGraph: Z overflows (products of the 'factors' tables pass 1.8e308); rescale the tables or use sumProduct");
  }
  for (const m of marg) for (let i = 0; i < m.length; i++) m[i] /= Z;
  return { Z, logZ: Math.log(Z), marginals: marg };
}
