/**
 * The shape every demo has. A demo file lives in `src/demos/<topic>/<name>.ts` and default-exports a
 * {@link Demo} (or an array of them); `src/main.ts` finds them all, runs them in order and writes
 * `out/report.html`.
 */

/** A Vega-Lite specification (compiled to SVG by the report). Kept loose on purpose: it is JSON. */
export type VegaLiteSpec = Record<string, unknown>;

/**
 * A statement about the demo's own data, checked by the demo itself. `holds` is computed from
 * `measured` and `expected` (see `claims.ts`); the report marks it and `pnpm demo` fails when it does not hold.
 */
export interface Claim {
  /** What is claimed, in words, e.g. "every learner's summed off-training error equals the closed form". */
  statement: string;
  /** The measured value (a number, or text such as "5 of 5"). */
  measured: number | string | boolean;
  /** What it is compared against, e.g. "≤ 1e-9" or "= 64". */
  expected: string;
  /** Whether the claim holds on this run. */
  holds: boolean;
}

/** What a demo returns: metrics for the table, plots for the report. */
export interface DemoResult {
  /** Computed claims about this run (every demo has at least one). */
  claims?: Claim[];
  /** Named figures shown in the demo's metrics table (numbers are printed with 4 significant digits). */
  metrics: Record<string, number | string | boolean>;
  /** Vega-Lite specs with inline data (`data: { values: [...] }`); each becomes one SVG. */
  plots: VegaLiteSpec[];
  /** Optional plain text shown under the title (what the demo shows, how to read the plot); the report escapes it. */
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
  /** The heading of that section exactly as it appears in `docs/notes/notes.txt` (for the link), e.g. `NFL 定理`. */
  notes?: string;
  /** Repository paths of the modules the demo shows (linked from the report). */
  code?: string[];
  /** Repository paths of the tests that prove those modules (linked from the report). */
  tests?: string[];
  /** Order within the report (lower first); topics use 100s: core 100, bayes 200, gp 300, latent 400, gan 500, crf 600, hyena 700. */
  order: number;
  run(ctx: DemoContext): DemoResult | Promise<DemoResult>;
}
