/** One conformance check: register with `test(check.name, check.run)`. */
export interface Check {
  name: string;
  run: () => void | Promise<void>;
}
/** Spec of {@link checkEstimator}; see index.js for the meaning of each field. */
export interface EstimatorSpec {
  name: string;
  data: () => unknown[];
  // biome-ignore lint/suspicious/noExplicitAny: fits have many signatures
  fit: (...args: any[]) => any;
  // biome-ignore lint/suspicious/noExplicitAny: fits have many signatures
  fitAsync?: (...args: any[]) => Promise<any>;
  options?: Record<string, unknown>;
  slowOptions?: Record<string, unknown>;
  /** Arguments (before options) that make the fit run for seconds, for the timer abort check. */
  slowData?: () => unknown[];
  /** false for a fit that no input makes slow; then timerAbortReason says why. */
  timerAbort?: boolean;
  timerAbortReason?: string;
  // biome-ignore lint/suspicious/noExplicitAny: each model's fromJSON takes its own JSON type
  fromJSON?: (json: any) => { toJSON(): unknown };
  tamper?: { path: string; value: unknown }[];
  progress?: boolean;
  signal?: boolean;
  modelFrozen?: boolean;
}
export function checkEstimator(spec: EstimatorSpec): Check[];
export function isNotesError(e: unknown): boolean;
export function snapshot(value: unknown): unknown;
export function findNonFinite(value: unknown, options?: { allowInfinity?: boolean }): string | undefined;
export const abortLatencies: { name: string; latencyMs: number }[];
/** Async fits whose abort from a timer is not measured (`timerAbort: false`), with the reason. */
export const timerAbortExemptions: { name: string; reason: string }[];
export const BAD_VALUES: [string, unknown][];
/** One bad-input sweep case. */
export interface SweepCase {
  /** Label; its first word is the export it covers unless `export` is given. */
  name: string;
  export?: string;
  // biome-ignore lint/suspicious/noExplicitAny: any export
  call: (...args: any[]) => unknown;
  args: () => unknown[];
  /** Index of the options argument (its keys are mutated one at a time). */
  options?: number;
  allowInfinity?: boolean;
  skipArgs?: number[];
}
export interface SweepFailure {
  case: string;
  mutation: string;
  outcome: 'silent' | 'untyped' | 'mutated';
  detail: string;
}
export interface SweepResult {
  counts: { typed: number; accepted: number; silent: number; untyped: number; mutated: number; total: number };
  failures: SweepFailure[];
}
export function sweepBadInputs(cases: SweepCase[]): Promise<SweepResult>;
export function uncoveredExports(namespace: Record<string, unknown>, cases: SweepCase[], exemptions: Record<string, string>): string[];
