/**
 * Module worker that runs one panel's computations (compute.ts) off the main thread. Messages in:
 * `{ type: 'run', id, panel, input }` and `{ type: 'cancel', id }` (aborts the AbortController whose signal the
 * package's async fit holds; when the page is cross-origin isolated it also shares an Int32Array flag, polled at every
 * progress call, so Cancel works even when a fit does not yield to this worker's event loop). Messages out: `progress` (throttled to one per 40 ms, except
 * those a computation forces, such as a GAN frame), `result`, `aborted`, `error`.
 */
import { computations, type PanelId } from './compute';

type InMessage = { type: 'run'; id: number; panel: PanelId; input: unknown; flag?: Int32Array } | { type: 'cancel'; id: number };

const running = new Map<number, AbortController>();
const post = (m: unknown) => (self as unknown as Worker).postMessage(m);

self.onmessage = async (event: MessageEvent<InMessage>) => {
  const msg = event.data;
  if (msg.type === 'cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(msg.id, controller);
  let last = 0;
  const flag = msg.flag;
  const progress = (info: Record<string, unknown>, force = false) => {
    // the page sets the shared flag on Cancel: seen here at the fit's next progress call even while the fit
    // keeps this thread busy and the 'cancel' message waits in the queue
    if (flag && Atomics.load(flag, 0) === 1 && !controller.signal.aborted) controller.abort();
    const now = performance.now();
    if (!force && now - last < 40) return;
    last = now;
    post({ type: 'progress', id: msg.id, info });
  };
  const t0 = performance.now();
  try {
    const run = computations[msg.panel] as (input: unknown, ctx: unknown) => Promise<unknown>;
    const output = await run(msg.input, {
      signal: controller.signal,
      progress,
      // the worker is served from assets/ (build) or src/ (dev); public/ files sit one level up
      loadTagger: async () => (await fetch(new URL('../models/brown-crf-tagger.json', self.location.href))).json(),
      loadDigits: async () => (await fetch(new URL('../data/digits-14.json', self.location.href))).json(),
    });
    post({ type: 'result', id: msg.id, output, ms: performance.now() - t0 });
  } catch (e) {
    const err = e as Error;
    if (controller.signal.aborted) post({ type: 'aborted', id: msg.id, ms: performance.now() - t0 });
    else post({ type: 'error', id: msg.id, name: err?.name, message: String(err?.message ?? err) });
  } finally {
    running.delete(msg.id);
  }
};
