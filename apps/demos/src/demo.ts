/**
 * The shape every demo has. A demo file lives in `src/demos/<topic>/<name>.ts` and default-exports a
 * {@link Demo} (or an array of them); `src/main.ts` finds them all, runs them in order and writes
 * `out/report.html`.
 */

/** A Vega-Lite specification (compiled to SVG by the report). Kept loose on purpose: it is JSON. */
export type VegaLiteSpec = Record<string, unknown>;

/** What a demo returns: metrics for the table, plots for the report. */
export interface DemoResult {
  /** Named figures shown in the demo's metrics table (numbers are printed with 4 significant digits). */
  metrics: Record<string, number | string | boolean>;
  /** Vega-Lite specs with inline data (`data: { values: [...] }`); each becomes one SVG. */
  plots: VegaLiteSpec[];
  /** Optional HTML-safe text shown under the title (what the demo shows, how to read the plot). */
  summary?: string;
  /** Optional extra tables: title plus rows of equal keys. */
  tables?: { title: string; rows: Record<string, number | string | boolean>[] }[];
}

/** Context handed to each demo. */
export interface DemoContext {
  /** Seed to use for every random choice (demos are reproducible). */
  seed: number;
  /** Prints a progress line prefixed with the demo id. */
  log(message: string): void;
}

/** One demo of the report. */
export interface Demo {
  /** Unique id, e.g. `core/nfl`. */
  id: string;
  /** Title shown in the report. */
  title: string;
  /** The notes section it illustrates, e.g. `NFL 定理 (No free lunch)`. */
  section: string;
  /** Order within the report (lower first); topics use 100s: core 100, bayes 200, gp 300, latent 400, gan 500, crf 600, hyena 700. */
  order: number;
  run(ctx: DemoContext): DemoResult | Promise<DemoResult>;
}
