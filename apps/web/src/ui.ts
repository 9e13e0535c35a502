/**
 * What every panel shares: the state recorded for the browser test (`window.__web`: each panel's last input
 * and output, the main thread's long tasks, cancel latencies), small DOM/SVG helpers, and the panel frame —
 * its heading and links, controls, status line, and the module worker it runs in with a Cancel button.
 * Statically imported by the entry (main.ts) and by the lazily loaded neural panels (neural.ts).
 */
import type { PanelId } from './compute';
import panelsMeta from './panels.json';

/** What the page records for the browser test (`window.__web`). */
export interface WebState {
  results: Partial<Record<PanelId, { input: unknown; output: unknown; ms: number }>>;
  errors: string[];
  longTasks: { start: number; duration: number; duringFit: boolean }[];
  cancels: { panel: PanelId; latencyMs: number }[];
  busy: Partial<Record<PanelId, boolean>>;
  runs: number;
  /** Main-thread handling of worker messages (to attribute long tasks). */
  events: { panel: PanelId; type: string; start: number; end: number }[];
}
/** The page's single {@link WebState}, also exposed as `window.__web`. */
export const state: WebState = { results: {}, errors: [], longTasks: [], cancels: [], busy: {}, runs: 0, events: [] };
(window as unknown as { __web: WebState }).__web = state;

const fitWindows: [number, number][] = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const during = fitWindows.some(([a, b]) => e.startTime + e.duration >= a && e.startTime <= (b < 0 ? Number.POSITIVE_INFINITY : b));
      state.longTasks.push({ start: e.startTime, duration: e.duration, duringFit: during });
    }
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // browsers without the Long Tasks API: nothing recorded
}


// ------------------------------------------------------------------ small DOM and SVG helpers

const SVG = 'http://www.w3.org/2000/svg';
/** Creates an HTML element with attributes and optional text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
/** Creates an SVG element with attributes. */
export function svgEl(tag: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}
/** A plot: an SVG with linear scales from data ranges to its pixels. */
export class Plot {
  readonly svg: SVGSVGElement;
  constructor(
    readonly w: number,
    readonly h: number,
    readonly xr: [number, number],
    readonly yr: [number, number],
    label = '',
  ) {
    this.svg = svgEl('svg', { width: w, height: h, viewBox: `0 0 ${w} ${h}`, class: 'plot', role: 'img', 'aria-label': label }) as SVGSVGElement;
  }
  X = (x: number) => ((x - this.xr[0]) / (this.xr[1] - this.xr[0])) * this.w;
  Y = (y: number) => this.h - ((y - this.yr[0]) / (this.yr[1] - this.yr[0])) * this.h;
  invert(px: number, py: number): [number, number] {
    return [this.xr[0] + (px / this.w) * (this.xr[1] - this.xr[0]), this.yr[0] + ((this.h - py) / this.h) * (this.yr[1] - this.yr[0])];
  }
  clear() {
    this.svg.replaceChildren();
  }
  add(tag: string, attrs: Record<string, string | number>) {
    const e = svgEl(tag, attrs);
    this.svg.append(e);
    return e;
  }
  path(xs: number[], ys: number[], attrs: Record<string, string | number>) {
    const d = xs.map((x, i) => `${i ? 'L' : 'M'}${this.X(x).toFixed(1)},${this.Y(ys[i]!).toFixed(1)}`).join('');
    return this.add('path', { d, fill: 'none', ...attrs });
  }
  band(xs: number[], lo: number[], hi: number[], attrs: Record<string, string | number>) {
    const up = xs.map((x, i) => `${i ? 'L' : 'M'}${this.X(x).toFixed(1)},${this.Y(hi[i]!).toFixed(1)}`).join('');
    const down = xs
      .map((_, k) => xs.length - 1 - k)
      .map((i) => `L${this.X(xs[i]!).toFixed(1)},${this.Y(lo[i]!).toFixed(1)}`)
      .join('');
    return this.add('path', { d: `${up}${down}Z`, ...attrs });
  }
  dot(x: number, y: number, r: number, fill: string) {
    return this.add('circle', { cx: this.X(x).toFixed(1), cy: this.Y(y).toFixed(1), r, fill });
  }
}
/** Number formatting for status lines and metric tables (exponent form for very large or small values). */
export const fmt = (v: number, d = 4) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(d));
/** Category colours of the plots (d3's category10). */
export const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

// ------------------------------------------------------------------ panel frame: worker, run, cancel

type Meta = (typeof panelsMeta)[number];
/** A panel's frame: `run` posts an input to its worker (Cancel aborts it); `status` and `body` are its DOM parts. */
export interface Runner {
  run(input: unknown, onProgress?: (info: Record<string, unknown>) => void): Promise<unknown>;
  status: HTMLElement;
  body: HTMLElement;
  controls: HTMLElement;
}

/**
 * A panel's section with its heading, its notes/code/test links and its description, appended to the page
 * (or the existing one). The lazily loaded panels get their frame at load, so the page keeps its order and
 * the links work before their code arrives.
 */
export function frame(id: PanelId): HTMLElement {
  const existing = document.getElementById(`panel-${id}`);
  if (existing) return existing;
  const meta = panelsMeta.find((p) => p.id === id) as Meta;
  const section = el('section', { class: 'panel', id: `panel-${id}` });
  section.append(el('h2', {}, meta.title));
  const links = el('div', { class: 'links' });
  links.append(
    `Notes: ${meta.section} — `,
    el('a', { href: `./view.html?file=docs/notes/notes.txt&line=${meta.notesLine}`, class: 'notes-link' }, `notes.txt line ${meta.notesLine}`),
    el('a', { href: `./view.html?file=${meta.code}`, class: 'code-link' }, `code: ${meta.code}`),
    el('a', { href: `./view.html?file=${meta.test}`, class: 'test-link' }, `test: ${meta.test}`),
  );
  section.append(links, el('p', { class: 'what' }, meta.what));
  (document.getElementById('panels') as HTMLElement).append(section);
  return section;
}

/** The panel's controls (with Cancel), status line and figures in its frame, and its module worker. */
export function panel(id: PanelId): Runner {
  const section = frame(id);
  section.querySelector('.placeholder')?.remove();
  const controls = el('div', { class: 'controls' });
  const cancel = el('button', { class: 'cancel', type: 'button', disabled: '' }, 'Cancel');
  const status = el('div', { class: 'status', 'aria-live': 'polite' }, 'idle');
  const body = el('div', { class: 'figures' });
  controls.append(cancel);
  section.append(controls, status, body);

  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `notes-${id}` });
  let nextId = 1;
  let current: { id: number; flag?: Int32Array; resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (i: Record<string, unknown>) => void; t0: number; cancelAt?: number } | undefined;
  const finish = () => {
    if (fitWindows.length && fitWindows[fitWindows.length - 1]![1] < 0) fitWindows[fitWindows.length - 1]![1] = performance.now();
    cancel.setAttribute('disabled', '');
    state.busy[id] = false;
    section.dataset.busy = 'false';
  };
  worker.onmessage = (ev: MessageEvent) => {
    const start = performance.now();
    // the result's drawing runs in promise callbacks right after this handler, in the same task
    queueMicrotask(() => queueMicrotask(() => state.events.push({ panel: id, type: String((ev.data as { type: string }).type), start, end: performance.now() })));
    const m = ev.data as { type: string; id: number; info?: Record<string, unknown>; output?: unknown; ms?: number; message?: string; name?: string };
    if (!current || m.id !== current.id) return;
    if (m.type === 'progress') {
      section.dataset.progress = String(Number(section.dataset.progress ?? '0') + 1);
      current.progress?.(m.info ?? {});
      return;
    }
    const c = current;
    current = undefined;
    finish();
    if (m.type === 'result') {
      status.className = 'status';
      status.textContent = `done in ${(m.ms ?? 0).toFixed(0)} ms (in the worker)`;
      c.resolve(m.output);
    } else if (m.type === 'aborted') {
      const latency = performance.now() - (c.cancelAt ?? performance.now());
      state.cancels.push({ panel: id, latencyMs: latency });
      status.className = 'status';
      status.textContent = `cancelled (${latency.toFixed(0)} ms after the click)`;
      section.dataset.cancelled = String(state.cancels.length);
      c.reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    } else {
      status.className = 'status error';
      status.textContent = `${m.name}: ${m.message}`;
      c.reject(new Error(`${m.name}: ${m.message}`));
    }
  };
  worker.onerror = (e) => {
    state.errors.push(`${id} worker: ${e.message}`);
    status.className = 'status error';
    status.textContent = `worker error: ${e.message}`;
  };
  cancel.addEventListener('click', () => {
    if (!current) return;
    current.cancelAt = performance.now();
    if (current.flag) Atomics.store(current.flag, 0, 1);
    worker.postMessage({ type: 'cancel', id: current.id });
  });
  return {
    status,
    body,
    controls,
    run(input, onProgress) {
      if (current) {
        // a new request replaces the running one
        if (current.flag) Atomics.store(current.flag, 0, 1);
        worker.postMessage({ type: 'cancel', id: current.id });
        current.reject(Object.assign(new Error('superseded'), { name: 'AbortError' }));
        current = undefined;
        finish();
      }
      const rid = nextId++;
      state.busy[id] = true;
      state.runs += 1;
      section.dataset.busy = 'true';
      cancel.removeAttribute('disabled');
      status.className = 'status';
      status.textContent = 'running in the worker…';
      fitWindows.push([performance.now(), -1]);
      const t0 = performance.now();
      // a cancel flag in shared memory when the page is cross-origin isolated (served with COOP/COEP headers)
      const flag = crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
      return new Promise((resolve, reject) => {
        current = {
          id: rid,
          flag,
          t0,
          progress: onProgress,
          reject,
          resolve: (output) => {
            state.results[id] = { input, output, ms: performance.now() - t0 };
            section.dataset.runs = String(Number(section.dataset.runs ?? '0') + 1);
            resolve(output);
          },
        };
        worker.postMessage({ type: 'run', id: rid, panel: id, input, flag });
      });
    },
  };
}

/** Swallows a run's AbortError (a cancel) and records any other error in `state.errors`. */
export const quiet = (p: Promise<unknown>) => p.catch((e: Error) => (e.name === 'AbortError' ? undefined : state.errors.push(e.message)));
/** Inserts `input` (and an optional output element) with a label before the panel's status line; returns `input`. */
export function labelled(parent: HTMLElement, text: string, input: HTMLElement, out?: HTMLElement) {
  const l = el('label', {}, `${text} `);
  l.append(input);
  if (out) l.append(' ', out);
  parent.insertBefore(l, parent.lastElementChild);
  return input;
}
/** A range input. */
export function slider(min: number, max: number, step: number, value: number, name: string) {
  return el('input', { type: 'range', min: String(min), max: String(max), step: String(step), value: String(value), name });
}
/** Inserts a button before the panel's status line. */
export function button(parent: HTMLElement, text: string, name: string) {
  const b = el('button', { type: 'button', name }, text);
  parent.insertBefore(b, parent.lastElementChild);
  return b;
}
/** A two-column table of name/value rows. */
export function metrics(rows: [string, string][]) {
  const t = el('table', { class: 'metrics' });
  for (const [k, v] of rows) {
    const tr = el('tr');
    tr.append(el('td', {}, k), el('td', {}, v));
    t.append(tr);
  }
  return t;
}


/** A G×G grid of values (row-major, first row at the bottom) as an SVG image filling `plot`. */
export function heatmap(plot: Plot, values: number[], G: number, color: (t: number) => [number, number, number]) {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const canvas = document.createElement('canvas');
  canvas.width = G;
  canvas.height = G;
  const ctx2 = canvas.getContext('2d') as CanvasRenderingContext2D;
  const img = ctx2.createImageData(G, G);
  for (const [k, v] of values.entries()) {
    const row = G - 1 - Math.floor(k / G);
    img.data.set([...color(hi > lo ? (v - lo) / (hi - lo) : 0), 255], 4 * (row * G + (k % G)));
  }
  ctx2.putImageData(img, 0, 0);
  plot.add('image', { href: canvas.toDataURL(), x: 0, y: 0, width: plot.w, height: plot.h, preserveAspectRatio: 'none' });
}

