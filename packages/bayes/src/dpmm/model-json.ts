/**
 * JSON form and state of the fitted DPMM, and the validating reader behind `DPMMModel.fromJSON`.
 * @internal (the types are re-exported by `model.ts`)
 */
import { DomainError, type FitReport, readFitReport, ShapeError } from '@notes/core-linalg';
import { jsonHeader, jsonInteger, jsonNumber, jsonNumbers } from '../internal/fit.js';
import { Cluster, createFamily, type DPMMBase } from './families.js';

/** Plain state of a {@link DPMMModel} (also its JSON form, with typed arrays as number arrays). */
export interface DPMMState {
  alpha: number;
  base: DPMMBase;
  sampler: 'collapsed' | 'two-step';
  dimension: number;
  n: number;
  burnIn: number;
  numClustersTrace: number[];
  samples: Int32Array[];
  stats: Float64Array[];
  mapAssignments: Int32Array;
  mapLogJoint: number;
  /** `reason: 'completed'`, `iterations` = sweeps, `trace` = collapsed log joint after every sweep. */
  report: FitReport;
}

/** JSON form of a {@link DPMMModel}. */
export interface DPMMJSON extends Omit<DPMMState, 'samples' | 'stats' | 'mapAssignments'> {
  kind: 'dpmm';
  version: 2;
  samples: number[][];
  stats: number[][];
  mapAssignments: number[];
}

const FROM = 'DPMMModel.fromJSON';

/**
 * Validates the JSON of a DPMM model field by field and returns its state.
 * @throws DomainError / ShapeError naming the first bad field
 */
export function readDPMMJSON(json: unknown): DPMMState {
  const j = jsonHeader(FROM, json, 'dpmm', 2);
  const alpha = jsonNumber(FROM, 'alpha', j.alpha, 'a finite number > 0', (x) => x > 0);
  if (j.sampler !== 'collapsed' && j.sampler !== 'two-step') {
    throw new DomainError(`${FROM}: field 'sampler' must be 'collapsed' or 'two-step', got ${JSON.stringify(j.sampler)}`);
  }
  const d = jsonInteger(FROM, 'dimension', j.dimension, 1, 1000);
  const n = jsonInteger(FROM, 'n', j.n, 1);
  // the base measure is checked exactly as fitDPMM checks it (errors name 'base.…')
  const family = createFamily(j.base as DPMMBase, d, FROM);
  const report = readFitReport(FROM, j.report);
  const sweeps = report.iterations;
  if (report.reason !== 'completed' || sweeps < 1) {
    throw new DomainError(`${FROM}: field 'report' must describe a completed run of at least one sweep`);
  }
  const trace = report.trace ?? [];
  if (trace.length !== sweeps || !trace.every(Number.isFinite)) {
    throw new DomainError(`${FROM}: field 'report.trace' must hold ${sweeps} finite log-joint values`);
  }
  const burnIn = jsonInteger(FROM, 'burnIn', j.burnIn, 0, sweeps - 1);
  const numClustersTrace = jsonNumbers(FROM, 'numClustersTrace', j.numClustersTrace, sweeps, `integers in [1, ${n}]`, (x) => Number.isInteger(x) && x >= 1 && x <= n);
  if (!Array.isArray(j.samples) || j.samples.length === 0) {
    throw new DomainError(`${FROM}: field 'samples' must be a non-empty array of partitions`);
  }
  if (!Array.isArray(j.stats) || j.stats.length !== j.samples.length) {
    throw new ShapeError(`${FROM}: field 'stats' must have one entry per sample (${j.samples.length})`);
  }
  const L = 1 + d + d * d;
  const samples: Int32Array[] = [];
  const stats: Float64Array[] = [];
  for (let si = 0; si < j.samples.length; si++) {
    const z = readPartition(`samples[${si}]`, j.samples[si], n);
    const K = Math.max(...z) + 1;
    const s = jsonNumbers(FROM, `stats[${si}]`, j.stats[si], K * L);
    const counts = new Float64Array(K);
    for (const c of z) counts[c] = (counts[c] as number) + 1;
    for (let k = 0; k < K; k++) {
      if (s[k * L] !== counts[k]) {
        throw new DomainError(`${FROM}: field 'stats[${si}]' cluster ${k} must have count ${counts[k]} (from samples[${si}]), got ${s[k * L]}`);
      }
      // the statistics must give a finite posterior predictive (as logPredictiveDensity builds it), e.g. no
      // negative sums of squares or sums that overflow
      const cl = new Cluster(d);
      cl.n = counts[k] as number;
      cl.sum.set(s.slice(k * L + 1, k * L + 1 + d));
      cl.sq.set(s.slice(k * L + 1 + d, (k + 1) * L));
      let ok = true;
      try {
        family.refresh(cl);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        ok = false;
      }
      if (!ok || !Number.isFinite(cl.c) || !cl.loc.every(Number.isFinite) || !cl.chol.every(Number.isFinite)) {
        throw new DomainError(
          `${FROM}: field 'stats[${si}]' cluster ${k} must hold the count, sum and sum of squares of its points (its posterior predictive is not finite or not positive definite)`,
        );
      }
    }
    samples.push(Int32Array.from(z));
    stats.push(Float64Array.from(s));
  }
  const mapAssignments = Int32Array.from(readPartition('mapAssignments', j.mapAssignments, n));
  const mapLogJoint = jsonNumber(FROM, 'mapLogJoint', j.mapLogJoint);
  return {
    alpha,
    base: family.base,
    sampler: j.sampler,
    dimension: d,
    n,
    burnIn,
    numClustersTrace,
    samples,
    stats,
    mapAssignments,
    mapLogJoint,
    report,
  };
}

/** n integer labels in 0..K−1, numbered in order of first appearance. */
function readPartition(field: string, v: unknown, n: number): number[] {
  const z = jsonNumbers(FROM, field, v, n, 'integer labels >= 0', (x) => Number.isInteger(x) && x >= 0);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const c = z[i] as number;
    if (c > next) throw new DomainError(`${FROM}: field '${field}[${i}]' must be at most ${next} (labels in order of first appearance), got ${c}`);
    if (c === next) next++;
  }
  return z;
}
