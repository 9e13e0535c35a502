/**
 * One loop, two drivers. A fit is written once as a generator that yields after every iteration; the
 * synchronous driver ({@link runFit}) runs it straight through, the asynchronous one
 * ({@link runFitAsync}) yields to the event loop at least every `yieldEveryMs` so that timers, UI
 * events and an `AbortSignal` fired from them are seen within one iteration.
 *
 * Each yielded value is a *checkpoint*: `undefined`, or a function returning the best state so far.
 * When the signal fires, the driver calls the last checkpoint and attaches its result to the
 * {@link AbortError} as `partial`.
 */
import { AbortError } from '../errors/index.js';

/** A checkpoint: a thunk returning the best state so far (called only on abort), or `undefined`. */
export type Checkpoint = (() => unknown) | undefined;

/** A fit loop: yields a checkpoint after every iteration and returns the fitted result. */
export type FitLoop<R> = Generator<Checkpoint, R, void>;

/** Options of the drivers. */
export interface DriverOptions {
  /** Stops the loop at the next checkpoint with an {@link AbortError}. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link runFitAsync}. */
export interface AsyncDriverOptions extends DriverOptions {
  /** Longest stretch of work between two yields to the event loop, in ms. @defaultValue 50 */
  yieldEveryMs?: number;
}

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

function abortError(where: string, signal: AbortSignal, checkpoint: Checkpoint): AbortError {
  const reason = signal.reason;
  const why = reason instanceof Error ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : '';
  return new AbortError(`${where}: aborted by the caller's AbortSignal${why}`, checkpoint?.());
}

/**
 * Runs a fit loop synchronously. The signal is checked before the first iteration and at every
 * checkpoint (a synchronous loop can only see a signal that some callback, e.g. `onProgress`, aborted).
 * @throws AbortError (with `partial` from the last checkpoint) when the signal fires.
 */
export function runFit<R>(where: string, loop: FitLoop<R>, options: DriverOptions = {}): R {
  const { signal } = options;
  if (signal?.aborted) {
    loop.return(undefined as R);
    throw abortError(where, signal, undefined);
  }
  let step = loop.next();
  while (!step.done) {
    if (signal?.aborted) {
      const err = abortError(where, signal, step.value);
      loop.return(undefined as R);
      throw err;
    }
    step = loop.next();
  }
  return step.value;
}

/**
 * Yields to the event loop with a macrotask, so expired timers (e.g. one that aborts the fit), I/O and UI
 * events run before the loop continues. Node: `setTimeout(0)` (its timers phase runs every expired timer
 * first); browsers: a `MessageChannel` task (no 4 ms timer clamping); elsewhere `setTimeout(0)`.
 */
export function yieldToEventLoop(): Promise<void> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (proc?.versions?.node === undefined && typeof MessageChannel !== 'undefined') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs a fit loop, yielding to the event loop whenever `yieldEveryMs` have passed since the last
 * yield, and checking the signal at every checkpoint.
 * @returns a promise of the loop's result.
 * @throws (rejects with) AbortError with `partial` from the last checkpoint when the signal fires;
 * any error the loop throws.
 */
export async function runFitAsync<R>(where: string, loop: FitLoop<R>, options: AsyncDriverOptions = {}): Promise<R> {
  const { signal } = options;
  const every = options.yieldEveryMs ?? 50;
  if (signal?.aborted) {
    loop.return(undefined as R);
    throw abortError(where, signal, undefined);
  }
  let last = now();
  let step = loop.next();
  while (!step.done) {
    if (now() - last >= every) {
      await yieldToEventLoop();
      last = now();
    }
    if (signal?.aborted) {
      const err = abortError(where, signal, step.value);
      loop.return(undefined as R);
      throw err;
    }
    step = loop.next();
  }
  return step.value;
}

/** A stopwatch in milliseconds (performance.now where available). */
export function stopwatch(): () => number {
  const start = now();
  return () => now() - start;
}
