/**
 * One loop, two drivers, for fits whose iterations are L-BFGS runs (fitGP, Bayesian optimisation).
 *
 * A loop is a generator that yields *steps*: a checkpoint (`{ kind: 'checkpoint', partial }`) or a request to
 * run core's L-BFGS (`{ kind: 'lbfgs', fg, x0, options, partial }`). The synchronous driver answers an L-BFGS
 * request with `minimizeLBFGS`, the asynchronous one with `minimizeLBFGSAsync` (which yields to the event loop
 * every 50 ms inside the run), so the loop — restarts, bookkeeping, model building — is written once and
 * both drivers run the same L-BFGS iterates. An error thrown by a run (other than an abort) is thrown back
 * into the loop at its `yield`, so the loop's own `try/catch` handles it.
 *
 * On abort the driver throws core's `AbortError` whose `partial` is `step.partial(iterate)`, where `iterate`
 * is L-BFGS's current iterate `{ x, value }` when the abort came during a run.
 */
import {
  AbortError,
  type LBFGSOptions,
  type LBFGSResult,
  type ValueAndGradient,
  minimizeLBFGS,
  minimizeLBFGSAsync,
  yieldToEventLoop,
} from '@notes/core-linalg';

/** L-BFGS's iterate at an abort (core's `AbortError.partial` of `minimizeLBFGS`). */
export interface LBFGSIterate {
  x: Float64Array;
  value: number;
}

/** A step of a {@link StepLoop}. */
export type LoopStep =
  | { kind: 'checkpoint'; partial: () => unknown }
  | { kind: 'lbfgs'; fg: ValueAndGradient; x0: Float64Array; options: LBFGSOptions; partial: (iterate?: LBFGSIterate) => unknown };

/** A loop run by {@link driveSync} / {@link driveAsync}; L-BFGS requests are answered with the run's result. */
export type StepLoop<R> = Generator<LoopStep, R, LBFGSResult | undefined>;

function abortError(where: string, signal: AbortSignal, partial: unknown): AbortError {
  const reason = signal.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : '';
  return new AbortError(`${where}: aborted by the caller's AbortSignal${why}`, partial);
}

function iterateOf(e: AbortError): LBFGSIterate | undefined {
  const p = e.partial as { x?: unknown; value?: unknown } | undefined;
  return p && p.x instanceof Float64Array && typeof p.value === 'number' ? { x: p.x, value: p.value } : undefined;
}

/**
 * Runs a loop synchronously.
 * @throws AbortError with the step's partial when `signal` has fired (checked at every step and inside L-BFGS).
 */
export function driveSync<R>(where: string, loop: StepLoop<R>, signal?: AbortSignal): R {
  if (signal?.aborted) {
    loop.return(undefined as R);
    throw abortError(where, signal, undefined);
  }
  let step = loop.next();
  while (!step.done) {
    const s = step.value;
    if (signal?.aborted) {
      const err = abortError(where, signal, s.partial());
      loop.return(undefined as R);
      throw err;
    }
    if (s.kind === 'checkpoint') {
      step = loop.next();
      continue;
    }
    let result: LBFGSResult;
    try {
      result = minimizeLBFGS(s.fg, s.x0, signal ? { ...s.options, signal } : s.options);
    } catch (e) {
      if (e instanceof AbortError && signal?.aborted) {
        const err = abortError(where, signal, s.partial(iterateOf(e)));
        loop.return(undefined as R);
        throw err;
      }
      step = loop.throw(e);
      continue;
    }
    step = loop.next(result);
  }
  return step.value;
}

/**
 * Runs a loop, yielding to the event loop at least every `yieldEveryMs` between steps and every 50 ms inside
 * L-BFGS runs (core's `minimizeLBFGSAsync`).
 * @throws (rejects with) AbortError with the step's partial when `signal` fires.
 */
export async function driveAsync<R>(where: string, loop: StepLoop<R>, signal?: AbortSignal, yieldEveryMs = 50): Promise<R> {
  if (signal?.aborted) {
    loop.return(undefined as R);
    throw abortError(where, signal, undefined);
  }
  let last = performance.now();
  let step = loop.next();
  while (!step.done) {
    const s = step.value;
    if (performance.now() - last >= yieldEveryMs) {
      await yieldToEventLoop();
      last = performance.now();
    }
    if (signal?.aborted) {
      const err = abortError(where, signal, s.partial());
      loop.return(undefined as R);
      throw err;
    }
    if (s.kind === 'checkpoint') {
      step = loop.next();
      continue;
    }
    let result: LBFGSResult;
    try {
      result = await minimizeLBFGSAsync(s.fg, s.x0, signal ? { ...s.options, signal } : s.options);
    } catch (e) {
      if (e instanceof AbortError && signal?.aborted) {
        const err = abortError(where, signal, s.partial(iterateOf(e)));
        loop.return(undefined as R);
        throw err;
      }
      step = loop.throw(e);
      continue;
    }
    // No clock reset here: a run shorter than yieldEveryMs never yielded inside minimizeLBFGSAsync, so
    // resetting after each run starved the event loop through many short restarts.
    step = loop.next(result);
  }
  return step.value;
}

/** Forwards the steps of `inner` with their partial replaced by `partial` (for loops nested in a loop). */
export function* withPartial<R>(inner: StepLoop<R>, partial: () => unknown): StepLoop<R> {
  let step = inner.next();
  while (!step.done) {
    let sent: LBFGSResult | undefined;
    try {
      sent = yield { ...step.value, partial } as LoopStep;
    } catch (e) {
      step = inner.throw(e);
      continue;
    }
    step = inner.next(sent);
  }
  return step.value;
}
