/** Accumulates results so benchmarked work cannot be optimised away. */
export declare let sink: number;
/** Median seconds per call of `fn` over repeated runs lasting at least `minMs`. */
export declare function time(fn: () => unknown, options?: { minMs?: number; minRuns?: number; warmup?: number }): number;
/** Median CPU seconds (user + system) per call of `fn` over `runs` runs after one warm-up call. */
export declare function cpuTime(fn: () => unknown, runs: number): number;
/** Seconds as a short human string. */
export declare function fmtSeconds(s: number): string;
/** One benchmark row; `baseline / seconds` is printed as the speed-up. */
export interface BenchRow {
  name: string;
  seconds: number;
  baseline?: number | null;
  baselineName?: string;
  note?: string;
}
/** Prints a titled table of rows with ratios against their baselines. */
export declare function report(title: string, rows: BenchRow[]): void;
/** A Python interpreter that can import `modules`, or null (prints why the column is skipped). */
export declare function findPython(modules?: string[]): string | null;
/** Runs `script` with JSON `input` on stdin; parses its stdout as JSON. */
export declare function runPython<T = unknown>(python: string, script: string, input?: unknown): T;
