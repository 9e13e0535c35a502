// Conformance checks shared by every @notes package (see docs/conventions.md).
// Framework-free: each check is { name, run } and the package's test file registers them with vitest:
//   for (const c of checkEstimator(spec)) test(c.name, c.run);
// Errors are recognised by shape (an Error with a NotesError `code`), so this file imports no package.

const NOTES_CODES = new Set(['notes', 'shape', 'domain', 'non-finite', 'not-positive-definite', 'convergence', 'aborted', 'resource']);
const STOP_REASONS = new Set(['converged', 'max-iterations', 'max-evaluations', 'target-reached', 'unbounded', 'line-search-failed', 'aborted', 'completed']);

/** True when `e` is a typed @notes error. */
export function isNotesError(e) {
  return e instanceof Error && typeof e.code === 'string' && NOTES_CODES.has(e.code);
}

function fail(message) {
  throw new Error(message);
}

/** A deep, structure-preserving snapshot of plain data (arrays, typed arrays, objects, Matrix rows). */
export function snapshot(value, seen = new Map()) {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  if (ArrayBuffer.isView(value)) return { __typed: value.constructor.name, values: Array.from(value) };
  if (value instanceof Map || value instanceof Set) return { __coll: Array.from(value) };
  const out = Array.isArray(value) ? [] : {};
  seen.set(value, out);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) out[i] = i in value ? snapshot(value[i], seen) : { __hole: true };
    return out;
  }
  if (typeof value.to2DArray === 'function' && typeof value.rows === 'number') {
    return { __matrix: value.to2DArray() };
  }
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v === 'function') continue;
    out[key] = snapshot(v, seen);
  }
  return out;
}

function sameSnapshot(a, b) {
  return JSON.stringify(a, replacer) === JSON.stringify(b, replacer);
}
function replacer(_k, v) {
  if (typeof v === 'number' && !Number.isFinite(v)) return `__num:${v}`;
  return v;
}

/**
 * Finds the first NaN/±Infinity reachable from `value` (numbers, arrays, typed arrays, Matrix, own
 * enumerable fields of objects; depth ≤ 6, ≤ 2e5 numbers). Returns a path string or undefined.
 * `allowInfinity` skips ±Infinity (some results are legitimately infinite, e.g. log 0 = -Infinity).
 */
export function findNonFinite(value, { allowInfinity = false } = {}) {
  let budget = 200_000;
  const seen = new Set();
  function bad(v) {
    return Number.isNaN(v) || (!allowInfinity && !Number.isFinite(v));
  }
  function walk(v, path, depth) {
    if (budget <= 0 || depth > 6) return undefined;
    if (typeof v === 'number') {
      budget -= 1;
      return bad(v) ? `${path} = ${v}` : undefined;
    }
    if (v === null || typeof v !== 'object') return undefined;
    if (seen.has(v)) return undefined;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      const n = Math.min(v.length ?? 0, budget);
      budget -= n;
      for (let i = 0; i < n; i++) if (typeof v[i] === 'number' && bad(v[i])) return `${path}[${i}] = ${v[i]}`;
      return undefined;
    }
    if (typeof v.to2DArray === 'function' && typeof v.rows === 'number' && typeof v.get === 'function') {
      for (let i = 0; i < v.rows && budget > 0; i++)
        for (let j = 0; j < v.columns; j++) {
          budget -= 1;
          const x = v.get(i, j);
          if (bad(x)) return `${path}[${i},${j}] = ${x}`;
        }
      return undefined;
    }
    const keys = Array.isArray(v) ? v.keys() : Object.keys(v);
    for (const k of keys) {
      const r = walk(v[k], `${path}${Array.isArray(v) ? `[${k}]` : `.${k}`}`, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  return walk(value, 'result', 0);
}

async function settle(fn) {
  try {
    const value = await fn();
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error };
  }
}

function checkReport(where, report) {
  if (typeof report !== 'object' || report === null) fail(`${where}: model.report is missing`);
  if (typeof report.converged !== 'boolean') fail(`${where}: report.converged must be a boolean, got ${report.converged}`);
  if (!STOP_REASONS.has(report.reason)) fail(`${where}: report.reason '${report.reason}' is not a StopReason`);
  if (!Number.isInteger(report.iterations) || report.iterations < 0) fail(`${where}: report.iterations must be an integer >= 0, got ${report.iterations}`);
  if (typeof report.elapsedMs !== 'number' || !(report.elapsedMs >= 0)) fail(`${where}: report.elapsedMs must be >= 0, got ${report.elapsedMs}`);
  if (report.evaluations !== undefined && (!Number.isInteger(report.evaluations) || report.evaluations < 0))
    fail(`${where}: report.evaluations must be an integer >= 0`);
  if (!Object.isFrozen(report)) fail(`${where}: report must be frozen`);
}

function setPath(obj, path, value) {
  const keys = path.split('.');
  let cur = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    cur = cur[keys[i]];
    if (cur === null || typeof cur !== 'object') fail(`tamper path '${path}' does not exist in the JSON`);
  }
  const last = keys[keys.length - 1];
  if (!(last in cur)) fail(`tamper path '${path}' does not exist in the JSON`);
  cur[last] = value;
}

/** Abort latencies measured by checkEstimator, for the closing figures: { name, latencyMs }. */
export const abortLatencies = [];

/** Async fits whose abort from a timer is not measured (`timerAbort: false`), with the reason: { name, reason }. */
export const timerAbortExemptions = [];

/**
 * Conformance checks of one fit (scikit-learn's check_estimator, for @notes conventions).
 *
 * spec:
 * - name: string (the fit's export name)
 * - data(): the arguments before `options`, built fresh for each check (small, fast)
 * - fit(...args, options): the synchronous fit
 * - fitAsync?(...args, options): the async twin (abort from setTimeout is measured)
 * - options?: base options for a quick fit (merged under each check's own)
 * - slowOptions?: options that make the fit run for seconds (for the abort checks)
 * - slowData?(): arguments that make the fit run for seconds (for the timer abort check; default data())
 * - timerAbort?: false with timerAbortReason: string for a fit that no input makes slow (e.g. one counting
 *   pass): the timer abort check is replaced by an entry in `timerAbortExemptions`; every other async fit must
 *   outlast the 20 ms timer, or the check fails (a fit that ends first has checked nothing)
 * - fromJSON?: (json) => model; tamper?: [{ path: 'a.b.0', value }] each must be rejected with a NotesError
 * - progress?: false to skip the onProgress check (fits without iterations)
 * - signal?: false when the fit takes no signal
 * - deterministic?: true (default) → the same options give the same toJSON
 * - modelFrozen?: true (default) → Object.isFrozen(model)
 */
export function checkEstimator(spec) {
  const name = spec.name;
  const base = spec.options ?? {};
  const fit = (opts) => {
    const args = spec.data();
    return spec.fit(...args, { ...base, ...opts });
  };
  const checks = [];
  const add = (label, run) => checks.push({ name: `${name}: ${label}`, run });

  add('returns a model with a FitReport', () => {
    const model = fit({});
    checkReport(name, model.report);
    if (spec.modelFrozen !== false && !Object.isFrozen(model)) fail(`${name}: the model must be frozen (immutable)`);
  });

  if (spec.progress !== false) {
    add('onProgress receives { iteration, objective, elapsedMs }', () => {
      const seen = [];
      fit({ onProgress: (info) => seen.push(info) });
      if (seen.length === 0) fail(`${name}: onProgress was never called`);
      let last = -1;
      for (const p of seen) {
        if (!Number.isInteger(p.iteration) || p.iteration < last) fail(`${name}: progress.iteration must be a non-decreasing integer, got ${p.iteration}`);
        last = p.iteration;
        if (typeof p.objective !== 'number' || Number.isNaN(p.objective)) fail(`${name}: progress.objective must be a number, got ${p.objective}`);
        if (typeof p.elapsedMs !== 'number' || !(p.elapsedMs >= 0)) fail(`${name}: progress.elapsedMs must be >= 0 ms, got ${p.elapsedMs}`);
      }
    });
  }

  add('rejects an unknown option naming it', () => {
    let err;
    try {
      fit({ notAnOptionOfThisFit: 1 });
    } catch (e) {
      err = e;
    }
    if (!isNotesError(err) || !/notAnOptionOfThisFit/.test(err.message)) fail(`${name}: an unknown option must throw a NotesError naming it, got ${err}`);
  });

  add("leaves the caller's data unchanged", () => {
    const args = spec.data();
    const before = snapshot(args);
    spec.fit(...args, { ...base });
    if (!sameSnapshot(before, snapshot(args))) fail(`${name}: the fit modified its input data`);
  });

  if (spec.signal !== false) {
    add('a pre-aborted signal throws AbortError', () => {
      const c = new AbortController();
      c.abort();
      let err;
      try {
        fit({ signal: c.signal });
      } catch (e) {
        err = e;
      }
      if (!isNotesError(err) || err.code !== 'aborted') fail(`${name}: expected AbortError, got ${err}`);
    });
  }

  if (spec.fitAsync) {
    add('async twin: same model as the sync fit', async () => {
      const a = fit({});
      const args = spec.data();
      const b = await spec.fitAsync(...args, { ...base });
      if (typeof a.toJSON === 'function') {
        const ja = JSON.parse(JSON.stringify(a.toJSON()));
        const jb = JSON.parse(JSON.stringify(b.toJSON()));
        delete ja.report?.elapsedMs;
        delete jb.report?.elapsedMs;
        if (JSON.stringify(stripTimes(ja)) !== JSON.stringify(stripTimes(jb))) fail(`${name}: fitAsync gave a different model than fit`);
      }
    });
    if (spec.timerAbort === false) {
      if (typeof spec.timerAbortReason !== 'string' || spec.timerAbortReason.length === 0) {
        throw new Error(`${name}: timerAbort: false needs a timerAbortReason`);
      }
      timerAbortExemptions.push({ name, reason: spec.timerAbortReason });
    } else add('async twin: an abort from setTimeout rejects with AbortError quickly', async () => {
      if (process.env.CHECK_KIT_TIMING === '1') {
        // Diagnostic: how long the slow fit runs unaborted (capped at 3 s), to size slowData/slowOptions.
        const c0 = new AbortController();
        const t0 = performance.now();
        const cap = setTimeout(() => c0.abort(), 3000);
        const a0 = spec.slowData ? spec.slowData() : spec.data();
        await settle(() => spec.fitAsync(...a0, { ...base, ...(spec.slowOptions ?? {}), signal: c0.signal }));
        clearTimeout(cap);
        console.log(`check-kit timing: ${name} slow fit ${(performance.now() - t0).toFixed(0)} ms${c0.signal.aborted ? ' (capped)' : ''}`);
      }
      const c = new AbortController();
      const args = spec.slowData ? spec.slowData() : spec.data();
      const p = settle(() => spec.fitAsync(...args, { ...base, ...(spec.slowOptions ?? {}), signal: c.signal }));
      let fired = 0;
      setTimeout(() => {
        fired = performance.now();
        c.abort();
      }, 20);
      const r = await p;
      const latency = performance.now() - fired;
      if (r.ok) {
        if (fired === 0) {
          // Nothing was aborted, so nothing was checked: slowOptions must make the fit outlast the timer.
          fail(`${name}: fitAsync finished before the abort fired at 20 ms; slowOptions must make the fit run for seconds`);
        }
        fail(`${name}: fitAsync resolved although its signal fired`);
      }
      if (!isNotesError(r.error) || r.error.code !== 'aborted') fail(`${name}: expected AbortError, got ${r.error}`);
      if (fired === 0) fail(`${name}: fitAsync rejected before the abort fired`);
      abortLatencies.push({ name, latencyMs: latency });
      // Budget generous for a busy 2-core machine; typical latencies are a few ms.
      if (latency > 2_000) fail(`${name}: abort took ${latency.toFixed(0)} ms to reject`);
    });
  }

  if (spec.fromJSON) {
    add('toJSON → JSON text → fromJSON round-trips exactly', () => {
      const model = fit({});
      const json = JSON.parse(JSON.stringify(model.toJSON()));
      const back = spec.fromJSON(json);
      const again = JSON.parse(JSON.stringify(back.toJSON()));
      if (JSON.stringify(json) !== JSON.stringify(again)) fail(`${name}: fromJSON(toJSON(m)).toJSON() differs from toJSON(m)`);
      if (spec.modelFrozen !== false && !Object.isFrozen(back)) fail(`${name}: fromJSON must return a frozen model`);
    });
    for (const t of spec.tamper ?? []) {
      add(`fromJSON rejects tampered '${t.path}' = ${JSON.stringify(t.value)}`, () => {
        const json = JSON.parse(JSON.stringify(fit({}).toJSON()));
        setPath(json, t.path, t.value);
        let err;
        try {
          spec.fromJSON(json);
        } catch (e) {
          err = e;
        }
        if (!isNotesError(err)) fail(`${name}: fromJSON accepted tampered '${t.path}' (got ${err ?? 'no error'})`);
      });
    }
    add('fromJSON rejects non-objects', () => {
      for (const bad of [null, 3, 'model', []]) {
        let err;
        try {
          spec.fromJSON(bad);
        } catch (e) {
          err = e;
        }
        if (!isNotesError(err)) fail(`${name}: fromJSON(${JSON.stringify(bad)}) must throw a NotesError, got ${err}`);
      }
    });
  }
  return checks;
}

function stripTimes(v) {
  if (Array.isArray(v)) return v.map(stripTimes);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) if (k !== 'elapsedMs') o[k] = stripTimes(v[k]);
    return o;
  }
  return v;
}

/** [1, <hole>, 3] */
function holey() {
  const a = new Array(3);
  a[0] = 1;
  a[2] = 3;
  return a;
}

/** The bad values each argument, element and option is replaced with, one at a time. */
export const BAD_VALUES = [
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['null', null],
  ["'3'", '3'],
  ['[]', []],
  ['[[1,2],[3]]', [[1, 2], [3]]],
  ['[1,,3]', holey()],
  ['{}', {}],
  ['-1', -1],
  ['1e300', 1e300],
  ['1e-300', 1e-300],
  ['true', true],
];

/**
 * The bad-input sweep. `cases` is a list of
 *   { name, call: (...args) => unknown, args: () => unknown[], options?: number (index of the options arg),
 *     allowInfinity?: boolean, skipArgs?: number[] }
 * Each case is first run on its valid args (must succeed), then every positional argument, the first
 * element of every array argument (and the first entry of its first row) and every option key given in
 * the valid options are replaced by each bad value, one at a time. Outcomes:
 *   typed     — a NotesError was thrown (good)
 *   accepted  — returned a result with no NaN/±Infinity (the value was legitimately acceptable)
 *   silent    — returned NaN/±Infinity somewhere (bad)
 *   untyped   — threw something that is not a NotesError (bad)
 *   mutated   — the call changed its arguments (bad)
 * Returns { counts, failures: [{ case, mutation, outcome, detail }] }.
 */
export async function sweepBadInputs(cases) {
  const counts = { typed: 0, accepted: 0, silent: 0, untyped: 0, mutated: 0, total: 0 };
  const failures = [];
  for (const c of cases) {
    const valid = await settle(() => c.call(...c.args()));
    if (!valid.ok) {
      failures.push({ case: c.name, mutation: 'valid arguments', outcome: 'untyped', detail: String(valid.error) });
      counts.untyped += 1;
      continue;
    }
    const probe = c.args();
    for (let i = 0; i < probe.length; i++) {
      if (c.skipArgs?.includes(i)) continue;
      const mutations = [];
      if (i === c.options && probe[i] && typeof probe[i] === 'object') {
        for (const key of Object.keys(probe[i])) {
          if (typeof probe[i][key] === 'function' || key === 'signal' || key === 'rng') continue;
          for (const [label, bad] of BAD_VALUES) mutations.push([`options.${key} = ${label}`, (a) => { a[i] = { ...a[i], [key]: bad }; }]);
        }
      } else {
        for (const [label, bad] of BAD_VALUES) mutations.push([`arg ${i} = ${label}`, (a) => { a[i] = bad; }]);
        if (Array.isArray(probe[i]) && probe[i].length > 0) {
          for (const [label, bad] of BAD_VALUES) {
            mutations.push([`arg ${i}[0] = ${label}`, (a) => { a[i] = [bad, ...a[i].slice(1)]; }]);
            if (Array.isArray(probe[i][0]) && probe[i][0].length > 0) {
              mutations.push([`arg ${i}[0][0] = ${label}`, (a) => { a[i] = [[bad, ...a[i][0].slice(1)], ...a[i].slice(1)]; }]);
            }
          }
        }
      }
      for (const [label, mutate] of mutations) {
        const args = c.args();
        mutate(args);
        const before = snapshot(args);
        const r = await settle(() => c.call(...args));
        counts.total += 1;
        let outcome;
        let detail = '';
        if (!sameSnapshot(before, snapshot(args))) {
          outcome = 'mutated';
        } else if (!r.ok) {
          outcome = isNotesError(r.error) ? 'typed' : 'untyped';
          if (outcome === 'untyped') detail = `${r.error?.name}: ${r.error?.message}`;
        } else {
          const where = findNonFinite(r.value, { allowInfinity: c.allowInfinity === true });
          outcome = where ? 'silent' : 'accepted';
          detail = where ?? '';
        }
        counts[outcome] += 1;
        if (outcome === 'silent' || outcome === 'untyped' || outcome === 'mutated') failures.push({ case: c.name, mutation: label, outcome, detail });
      }
    }
  }
  return { counts, failures };
}

/**
 * Exports of a module namespace that no case covers and no exemption lists (functions and classes
 * only; constants and types are not swept).
 */
export function uncoveredExports(namespace, cases, exemptions) {
  const covered = new Set(cases.map((c) => c.export ?? c.name.split(/[ .(]/)[0]));
  const exempt = new Set(Object.keys(exemptions));
  return Object.keys(namespace).filter((k) => typeof namespace[k] === 'function' && !covered.has(k) && !exempt.has(k));
}
