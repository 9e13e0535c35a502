/**
 * The page: one panel per notes topic. The main thread only builds controls and draws (plain SVG); every
 * computation runs in the panel's own module worker (worker.ts). It records, for the browser test, each panel's
 * last input and output, the main thread's long tasks and the cancel latencies in `window.__web`.
 */
import type { BOInput, ConjugateInput, ConvInput, DPMMInput, FlowInput, GANInput, GPInput, OTInput, PanelId, SSMInput, TagInput } from './compute';
import panelsMeta from './panels.json';

interface WebState {
  results: Partial<Record<PanelId, { input: unknown; output: unknown; ms: number }>>;
  errors: string[];
  longTasks: { start: number; duration: number; duringFit: boolean }[];
  cancels: { panel: PanelId; latencyMs: number }[];
  busy: Partial<Record<PanelId, boolean>>;
  runs: number;
  /** Main-thread handling of worker messages (to attribute long tasks). */
  events: { panel: PanelId; type: string; start: number; end: number }[];
}
const state: WebState = { results: {}, errors: [], longTasks: [], cancels: [], busy: {}, runs: 0, events: [] };
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
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}
function svgEl(tag: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}
/** A plot: an SVG with linear scales from data ranges to its pixels. */
class Plot {
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
const fmt = (v: number, d = 4) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(d));
const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

// ------------------------------------------------------------------ panel frame: worker, run, cancel

type Meta = (typeof panelsMeta)[number];
interface Runner {
  run(input: unknown, onProgress?: (info: Record<string, unknown>) => void): Promise<unknown>;
  status: HTMLElement;
  body: HTMLElement;
  controls: HTMLElement;
}

function panel(id: PanelId): Runner {
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
  const controls = el('div', { class: 'controls' });
  const cancel = el('button', { class: 'cancel', type: 'button', disabled: '' }, 'Cancel');
  const status = el('div', { class: 'status', 'aria-live': 'polite' }, 'idle');
  const body = el('div', { class: 'figures' });
  controls.append(cancel);
  section.append(controls, status, body);
  (document.getElementById('panels') as HTMLElement).append(section);

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

const quiet = (p: Promise<unknown>) => p.catch((e: Error) => (e.name === 'AbortError' ? undefined : state.errors.push(e.message)));
function labelled(parent: HTMLElement, text: string, input: HTMLElement, out?: HTMLElement) {
  const l = el('label', {}, `${text} `);
  l.append(input);
  if (out) l.append(' ', out);
  parent.insertBefore(l, parent.lastElementChild);
  return input;
}
function slider(min: number, max: number, step: number, value: number, name: string) {
  return el('input', { type: 'range', min: String(min), max: String(max), step: String(step), value: String(value), name });
}
function button(parent: HTMLElement, text: string, name: string) {
  const b = el('button', { type: 'button', name }, text);
  parent.insertBefore(b, parent.lastElementChild);
  return b;
}
function metrics(rows: [string, string][]) {
  const t = el('table', { class: 'metrics' });
  for (const [k, v] of rows) {
    const tr = el('tr');
    tr.append(el('td', {}, k), el('td', {}, v));
    t.append(tr);
  }
  return t;
}

// ------------------------------------------------------------------ GP regression

function gpPanel() {
  const r = panel('gp');
  const kernel = labelled(r.controls, 'kernel', el('select', { name: 'kernel' })) as HTMLSelectElement;
  for (const [v, t] of [
    ['rbf', 'RBF'],
    ['matern52', 'Matérn 5/2'],
    ['periodic', 'periodic'],
    ['rq', 'rational quadratic'],
  ])
    kernel.append(el('option', { value: v }, t));
  const restarts = labelled(r.controls, 'restarts', el('input', { type: 'number', min: '0', max: '1000', value: '2', name: 'restarts', style: 'width:4em' })) as HTMLInputElement;
  const fit = button(r.controls, 'Fit', 'fit');
  const clear = button(r.controls, 'Clear points', 'clear');
  const plot = new Plot(640, 320, [-5, 5], [-3, 3], 'GP posterior');
  const info = el('div');
  r.body.append(plot.svg, info);
  let points: [number, number][] = [
    [-4, -0.6],
    [-3, 0.4],
    [-2.2, 1.1],
    [-1, 0.2],
    [1.8, -0.9],
    [3, 0.3],
    [4, 1.2],
  ];
  const drawPoints = () => {
    for (const [x, y] of points) plot.dot(x, y, 4, '#000');
  };
  const redraw = (out?: { xs: number[]; mean: number[]; std: number[]; samples: number[][] }) => {
    plot.clear();
    plot.add('line', { x1: 0, x2: plot.w, y1: plot.Y(0), y2: plot.Y(0), stroke: '#ddd' });
    if (out) {
      plot.band(
        out.xs,
        out.mean.map((m, i) => m - 1.96 * out.std[i]!),
        out.mean.map((m, i) => m + 1.96 * out.std[i]!),
        { fill: '#1f77b4', 'fill-opacity': 0.18, stroke: 'none' },
      );
      for (const [k, s] of out.samples.entries()) plot.path(out.xs, s, { stroke: palette[(k + 1) % palette.length]!, 'stroke-width': 1, 'stroke-opacity': 0.7 });
      plot.path(out.xs, out.mean, { stroke: '#1f77b4', 'stroke-width': 2 });
    }
    drawPoints();
  };
  const go = () => {
    const input: GPInput = { points: points.map((p) => [p[0], p[1]]), kernel: kernel.value as GPInput['kernel'], restarts: Number(restarts.value), seed: 1, samples: 3 };
    if (points.length < 2) {
      redraw();
      r.status.textContent = 'add at least two points';
      return;
    }
    quiet(
      r
        .run(input, (p) => {
          r.status.textContent = `L-BFGS iteration ${p.iteration} (start ${Number(p.restart) + 1}): log ML ${fmt(Number(p.logMarginalLikelihood))}`;
        })
        .then((o) => {
          const out = o as Awaited<ReturnType<typeof import('./compute').runGP>>;
          redraw(out);
          info.replaceChildren(
            metrics([
              ['points', String(points.length)],
              ['fitted kernel', out.kernel],
              ['log marginal likelihood', fmt(out.logMarginalLikelihood)],
              ['L-BFGS iterations', String(out.iterations)],
              ['stop reason', out.reason],
            ]),
          );
        }),
    );
  };
  plot.svg.addEventListener('click', (e) => {
    const box = plot.svg.getBoundingClientRect();
    const [x, y] = plot.invert(e.clientX - box.left, e.clientY - box.top);
    points.push([Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000]);
    redraw();
    go();
  });
  kernel.addEventListener('change', go);
  fit.addEventListener('click', go);
  clear.addEventListener('click', () => {
    points = [];
    redraw();
  });
  redraw();
  go();
}

// ------------------------------------------------------------------ optimal transport

function otPanel() {
  const r = panel('ot');
  const reg = labelled(r.controls, 'ε / max M (log scale)', slider(-3, -0.3, 0.1, -1.3, 'reg'), el('output', {}, '')) as HTMLInputElement;
  const out = reg.nextElementSibling as HTMLOutputElement;
  const left = new Plot(380, 300, [-4, 4], [-3.5, 3.5], 'exact plan');
  const right = new Plot(380, 300, [-4, 4], [-3.5, 3.5], 'Sinkhorn plan');
  const info = el('div');
  r.body.append(left.svg, right.svg, info);
  const drawPlan = (p: Plot, o: { x: number[][]; y: number[][] }, plan: [number, number, number][], maxMass: number) => {
    p.clear();
    for (const [i, j, m] of plan)
      if (m > 2e-3 * maxMass)
        p.add('line', { x1: p.X(o.x[i]![0]!), y1: p.Y(o.x[i]![1]!), x2: p.X(o.y[j]![0]!), y2: p.Y(o.y[j]![1]!), stroke: '#444', 'stroke-opacity': Math.min(1, m / maxMass).toFixed(3) });
    for (const q of o.x) p.dot(q[0]!, q[1]!, 3, palette[0]!);
    for (const q of o.y) p.dot(q[0]!, q[1]!, 3, palette[1]!);
  };
  const go = () => {
    const regFraction = Number((10 ** Number(reg.value)).toPrecision(3));
    out.textContent = String(regFraction);
    const input: OTInput = { n: 40, m: 30, seed: 1, regFraction };
    quiet(
      r.run(input).then((o) => {
        const res = o as Awaited<ReturnType<typeof import('./compute').runOT>>;
        const maxMass = Math.max(...res.exactPlan.map((e) => e[2]));
        drawPlan(left, res, res.exactPlan, maxMass);
        drawPlan(right, res, res.sinkhornPlan, maxMass);
        info.replaceChildren(
          metrics([
            ['exact cost ⟨P, M⟩', fmt(res.exactCost)],
            ['Sinkhorn cost', fmt(res.sinkhornCost)],
            ['ε', fmt(res.reg)],
            ['Sinkhorn iterations', String(res.sinkhornIterations)],
            ['marginal error', fmt(res.marginalError)],
            ['non-zeros exact / Sinkhorn (> 1e-4 of uniform)', `${res.exactPlan.length} / ${res.sinkhornPlan.length}`],
          ]),
        );
      }),
    );
  };
  reg.addEventListener('change', go);
  go();
}

// ------------------------------------------------------------------ DPMM

function dpmmPanel() {
  const r = panel('dpmm');
  const alpha = labelled(r.controls, 'α (log₁₀)', slider(-2, 1.5, 0.1, 0, 'alpha'), el('output')) as HTMLInputElement;
  const variance = labelled(r.controls, 'prior variance (log₁₀)', slider(0, 4, 0.1, 1, 'variance'), el('output')) as HTMLInputElement;
  const sweeps = labelled(r.controls, 'sweeps', el('input', { type: 'number', min: '10', max: '5000', value: '150', name: 'sweeps', style: 'width:5em' })) as HTMLInputElement;
  const runBtn = button(r.controls, 'Run', 'run');
  const scatter = new Plot(360, 300, [-6.5, 6.5], [-6.5, 6.5], 'MAP partition');
  const trace = new Plot(420, 300, [0, 150], [0, 12], 'clusters per sweep');
  const info = el('div');
  r.body.append(scatter.svg, trace.svg, info);
  const go = () => {
    const a = Number((10 ** Number(alpha.value)).toPrecision(3));
    const v = Number((10 ** Number(variance.value)).toPrecision(3));
    (alpha.nextElementSibling as HTMLElement).textContent = String(a);
    (variance.nextElementSibling as HTMLElement).textContent = String(v);
    const input: DPMMInput = { alpha: a, priorVariance: v, sweeps: Number(sweeps.value), n: 300, seed: 1 };
    const ks: number[] = [];
    const its: number[] = [];
    const xr: [number, number] = [0, input.sweeps];
    const t = new Plot(420, 300, xr, [0, 12], 'clusters per sweep');
    trace.svg.replaceWith(t.svg);
    Object.assign(trace, { svg: t.svg });
    quiet(
      r
        .run(input, (p) => {
          its.push(Number(p.iteration));
          ks.push(Number(p.numClusters));
          t.clear();
          t.path(its, ks, { stroke: palette[0]!, 'stroke-width': 1.5 });
          r.status.textContent = `sweep ${p.iteration}: ${p.numClusters} clusters, log p(Y, S) ${fmt(Number(p.logJoint), 1)}`;
        })
        .then((o) => {
          const res = o as Awaited<ReturnType<typeof import('./compute').runDPMM>>;
          t.clear();
          t.path(
            res.numClustersTrace.map((_, i) => i + 1),
            res.numClustersTrace,
            { stroke: palette[0]!, 'stroke-width': 1.5 },
          );
          scatter.clear();
          const ids = [...new Set(res.assignments)];
          for (const [i, q] of res.X.entries()) scatter.dot(q[0]!, q[1]!, 2.5, palette[ids.indexOf(res.assignments[i]!) % palette.length]!);
          const kept = res.numClustersTrace.slice(Math.floor(input.sweeps / 3));
          info.replaceChildren(
            metrics([
              ['sweeps', String(res.sweeps)],
              ['clusters in the MAP partition', String(ids.length)],
              ['mean #clusters after burn-in', fmt(kept.reduce((s, k) => s + k, 0) / kept.length, 2)],
            ]),
          );
        }),
    );
  };
  alpha.addEventListener('change', go);
  variance.addEventListener('change', go);
  runBtn.addEventListener('click', go);
  go();
}

// ------------------------------------------------------------------ CRF tagging

function tagPanel() {
  const r = panel('tag');
  const text = labelled(r.controls, 'sentence', el('input', { type: 'text', name: 'sentence', value: 'The jury said it did find that many of the voters were not qualified.' })) as HTMLInputElement;
  const tagBtn = button(r.controls, 'Tag', 'tag');
  const out = el('div', { class: 'tags' });
  r.body.append(out);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const go = () => {
    const input: TagInput = { sentence: text.value };
    quiet(
      r.run(input).then((o) => {
        const res = o as Awaited<ReturnType<typeof import('./compute').runTag>>;
        out.replaceChildren(
          ...res.tokens.map((tok, i) => {
            const d = el('span', { class: 'tok' }, tok);
            d.append(el('b', {}, res.tags[i]!), el('i', {}, `p=${res.confidence[i]!.toFixed(3)}`));
            return d;
          }),
        );
      }),
    );
  };
  text.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(go, 250);
  });
  tagBtn.addEventListener('click', go);
  // the tagger JSON (≈ 470 KiB gzip) is fetched only when the panel first comes into view
  const seen = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      seen.disconnect();
      go();
    }
  });
  seen.observe(r.body.parentElement as HTMLElement);
}

// ------------------------------------------------------------------ Bayesian optimisation

function boPanel() {
  const r = panel('bo');
  const steps = labelled(r.controls, 'evaluations', el('input', { type: 'number', min: '1', max: '60', value: '12', name: 'steps', style: 'width:4em' })) as HTMLInputElement;
  const acq = labelled(r.controls, 'acquisition', el('select', { name: 'acquisition' })) as HTMLSelectElement;
  for (const v of ['ei', 'pi', 'lcb']) acq.append(el('option', { value: v }, v.toUpperCase()));
  const runBtn = button(r.controls, 'Run', 'run');
  const plot = new Plot(420, 420, [-5, 10], [0, 15], 'Branin: evaluations over the acquisition');
  const info = el('div');
  r.body.append(plot.svg, info);
  const minima = [
    [-Math.PI, 12.275],
    [Math.PI, 2.275],
    [9.42478, 2.475],
  ];
  const go = () => {
    const input: BOInput = { steps: Number(steps.value), seed: 1, acquisition: acq.value as BOInput['acquisition'] };
    plot.clear();
    quiet(
      r
        .run(input, (p) => {
          plot.dot(Number(p.x1), Number(p.x2), 4, '#d62728');
          r.status.textContent = `evaluation ${p.step}: f = ${fmt(Number(p.f))}, best ${fmt(Number(p.best))}`;
        })
        .then((o) => {
          const res = o as Awaited<ReturnType<typeof import('./compute').runBO>>;
          plot.clear();
          const G = res.grid;
          const lo = Math.min(...res.surface);
          const hi = Math.max(...res.surface);
                    // the surface as one G×G image (900 SVG rects cost the main thread ~10× more)
          const canvas = document.createElement('canvas');
          canvas.width = G;
          canvas.height = G;
          const ctx2 = canvas.getContext('2d') as CanvasRenderingContext2D;
          const img = ctx2.createImageData(G, G);
          for (const [k, v] of res.surface.entries()) {
            const i = k % G;
            const j = G - 1 - Math.floor(k / G);
            const t = hi > lo ? (v - lo) / (hi - lo) : 0;
            img.data.set([Math.round(255 - 150 * t), Math.round(255 - 90 * t), 255, 255], 4 * (j * G + i));
          }
          ctx2.putImageData(img, 0, 0);
          plot.add('image', { href: canvas.toDataURL(), x: 0, y: 0, width: plot.w, height: plot.h, preserveAspectRatio: 'none', style: 'image-rendering: pixelated' });
          for (const [a, b] of minima) plot.add('text', { x: plot.X(a!) - 4, y: plot.Y(b!) + 4, 'font-size': 12 }).textContent = '×';
          res.points.forEach(([a, b], k) => {
            plot.dot(a, b, 4, '#d62728');
            plot.add('text', { x: plot.X(a) + 5, y: plot.Y(b) - 4, 'font-size': 9 }).textContent = String(k + 1);
          });
          info.replaceChildren(
            metrics([
              ['evaluations', String(res.points.length)],
              ['best f', fmt(res.best[res.best.length - 1]!)],
              ['simple regret (best − 0.397887)', fmt(res.regret)],
            ]),
          );
        }),
    );
  };
  runBtn.addEventListener('click', go);
  acq.addEventListener('change', go);
  go();
}

// ------------------------------------------------------------------ FFT vs direct convolution

function convPanel() {
  const r = panel('conv');
  const len = labelled(r.controls, 'signal length', el('select', { name: 'length' })) as HTMLSelectElement;
  for (const v of [1024, 4096, 16384, 65536]) len.append(el('option', { value: String(v), ...(v === 4096 ? { selected: '' } : {}) }, String(v)));
  const klen = labelled(r.controls, 'kernel length (log₂)', slider(2, 13, 1, 9, 'kernelLength'), el('output')) as HTMLInputElement;
  const runBtn = button(r.controls, 'Run', 'run');
  const plot = new Plot(520, 240, [0, 63], [-30, 30], 'first 64 outputs');
  const info = el('div');
  r.body.append(plot.svg, info);
  const go = () => {
    const input: ConvInput = { length: Number(len.value), kernelLength: 2 ** Number(klen.value), seed: 1 };
    (klen.nextElementSibling as HTMLElement).textContent = String(input.kernelLength);
    quiet(
      r.run(input).then((o) => {
        const res = o as Awaited<ReturnType<typeof import('./compute').runConv>>;
        const m = Math.max(...res.head.map(Math.abs), 1e-9);
        const p = new Plot(520, 240, [0, 63], [-m * 1.1, m * 1.1], 'first 64 outputs');
        plot.svg.replaceWith(p.svg);
        Object.assign(plot, { svg: p.svg });
        const xs = res.head.map((_, i) => i);
        p.path(xs, res.head, { stroke: palette[0]!, 'stroke-width': 3 });
        p.path(xs, res.fftHead, { stroke: palette[1]!, 'stroke-width': 1.2, 'stroke-dasharray': '4 3' });
        info.replaceChildren(
          metrics([
            ['output length n + m − 1', String(res.outputLength)],
            ['direct (ms, one run)', res.directMs.toFixed(1)],
            ['FFT (ms, one run)', res.fftMs.toFixed(1)],
            ['max |direct − FFT| / max |direct|', fmt(res.relativeDifference)],
          ]),
        );
      }),
    );
  };
  runBtn.addEventListener('click', go);
  len.addEventListener('change', go);
  klen.addEventListener('change', go);
  go();
}

// ------------------------------------------------------------------ conjugate updating

function conjugatePanel() {
  const r = panel('conjugate');
  const a = labelled(r.controls, 'prior α', slider(0.5, 20, 0.5, 2, 'alpha'), el('output')) as HTMLInputElement;
  const b = labelled(r.controls, 'prior β', slider(0.5, 20, 0.5, 2, 'beta'), el('output')) as HTMLInputElement;
  const flips = labelled(r.controls, 'flips', el('input', { type: 'text', name: 'flips', value: 'HHTHHHTH', style: 'width:16em' })) as HTMLInputElement;
  const plot = new Plot(520, 240, [0, 1], [0, 6], 'prior and posterior densities');
  const info = el('div');
  r.body.append(plot.svg, info);
  const go = () => {
    (a.nextElementSibling as HTMLElement).textContent = a.value;
    (b.nextElementSibling as HTMLElement).textContent = b.value;
    const input: ConjugateInput = { alpha: Number(a.value), beta: Number(b.value), flips: flips.value };
    quiet(
      r.run(input).then((o) => {
        const res = o as Awaited<ReturnType<typeof import('./compute').runConjugate>>;
        const top = Math.max(...res.posterior, ...res.prior) * 1.1;
        const p = new Plot(520, 240, [0, 1], [0, top], 'prior and posterior densities');
        plot.svg.replaceWith(p.svg);
        Object.assign(plot, { svg: p.svg });
        p.path(res.ps, res.prior, { stroke: '#999', 'stroke-dasharray': '5 4', 'stroke-width': 1.5 });
        p.path(res.ps, res.posterior, { stroke: palette[2]!, 'stroke-width': 2 });
        info.replaceChildren(
          metrics([
            ['flips (heads)', `${res.n} (${res.heads})`],
            ['posterior', `Beta(${res.params.alpha}, ${res.params.beta})`],
            ['posterior mean', fmt(res.mean)],
            ['P(next = H)', fmt(res.predictiveHeads)],
            ['log evidence log p(x₁…ₙ)', fmt(res.logEvidence)],
          ]),
        );
      }),
    );
  };
  a.addEventListener('input', go);
  b.addEventListener('input', go);
  flips.addEventListener('input', go);
  go();
}

// ------------------------------------------------------------------ SSM memory profile

function ssmPanel() {
  const r = panel('ssm');
  const n = labelled(r.controls, 'state size n', slider(2, 32, 1, 8, 'stateSize'), el('output')) as HTMLInputElement;
  const dt = labelled(r.controls, 'diagonal dt (log₁₀)', slider(-3, 0, 0.1, -1.3, 'dt'), el('output')) as HTMLInputElement;
  const holder = el('div');
  const info = el('div');
  r.body.append(holder, info);
  const go = () => {
    const input: SSMInput = { stateSize: Number(n.value), length: 200, dt: Number((10 ** Number(dt.value)).toPrecision(3)), seed: 1 };
    (n.nextElementSibling as HTMLElement).textContent = n.value;
    (dt.nextElementSibling as HTMLElement).textContent = String(input.dt);
    quiet(
      r.run(input).then((o) => {
        const res = o as Awaited<ReturnType<typeof import('./compute').runSSM>>;
        // log10 magnitude, floored at 1e-8
        const lg = (v: number) => Math.log10(Math.max(v, 1e-8));
        const top = Math.max(...res.systems.flatMap((s) => s.kernel.map(lg)));
        const p = new Plot(620, 260, [0, res.t], [-8, Math.ceil(top + 0.1)], 'memory profile, log10 magnitude by lag');
        for (let k = -8; k <= top; k += 2) p.add('line', { x1: 0, x2: p.w, y1: p.Y(k), y2: p.Y(k), stroke: '#eee' });
        for (const [k, s] of res.systems.entries()) {
          const xs = s.kernel.map((_, i) => i);
          p.path(xs, s.kernel.map(lg), { stroke: palette[k]!, 'stroke-width': 1.5 });
          for (let i = 0; i <= res.t; i += 5) p.dot(i, lg(s.profile[i]!), 2.2, palette[k]!);
        }
        holder.replaceChildren(p.svg);
        info.replaceChildren(
          metrics([
            ...res.systems.map((s, k): [string, string] => [`${k === 0 ? 'blue' : 'orange'}: ${s.name}`, `max |autodiff − formula| / max |h| = ${fmt(s.relativeDifference)}`]),
            ['y axis', 'log₁₀ |h_n| (lines) and log₁₀ |∂y(t)/∂u(t−n)| (dots), floored at −8; x: lag n'],
          ]),
        );
      }),
    );
  };
  n.addEventListener('change', go);
  dt.addEventListener('change', go);
  go();
}

// ------------------------------------------------------------------ GAN on the ring

function ganPanel() {
  const r = panel('gan');
  const objective = labelled(r.controls, 'objective', el('select', { name: 'objective' })) as HTMLSelectElement;
  for (const v of ['non-saturating', 'minimax', 'wgan']) objective.append(el('option', { value: v }, v === 'wgan' ? 'WGAN (spectral norm)' : v));
  const steps = labelled(r.controls, 'generator steps', el('input', { type: 'number', min: '1', max: '20000', value: '150', name: 'steps', style: 'width:5em' })) as HTMLInputElement;
  const train = button(r.controls, 'Train', 'train');
  const scatter = new Plot(340, 340, [-1.6, 1.6], [-1.6, 1.6], 'generated points and the 8 modes');
  const lossHolder = el('div');
  const info = el('div');
  r.body.append(scatter.svg, lossHolder, info);
  r.status.textContent = 'press Train (not run at load: training takes seconds)';
  const drawLosses = (steps: number, c: number[], g: number[]) => {
    const all = [...c, ...g];
    const lo = Math.min(...all, 0);
    const hi = Math.max(...all, 1e-9);
    const p = new Plot(420, 240, [0, Math.max(steps, 1)], [lo, hi + 0.05 * (hi - lo)], 'losses per step');
    const xs = c.map((_, i) => (i + 1) * (steps / Math.max(c.length, 1)));
    p.path(xs, c, { stroke: palette[0]!, 'stroke-width': 1.2 });
    p.path(xs, g, { stroke: palette[1]!, 'stroke-width': 1.2 });
    lossHolder.replaceChildren(p.svg);
  };
  train.addEventListener('click', () => {
    const input: GANInput = { objective: objective.value as GANInput['objective'], steps: Number(steps.value), seed: 1 };
    const c: number[] = [];
    const g: number[] = [];
    quiet(
      r
        .run(input, (p) => {
          c.push(Number(p.criticLoss));
          g.push(Number(p.generatorLoss));
          drawLosses(Number(p.iteration), c, g);
          r.status.textContent = `step ${p.iteration}: critic loss ${fmt(Number(p.criticLoss))}, generator loss ${fmt(Number(p.generatorLoss))}`;
        })
        .then((o) => {
          const res = o as Awaited<ReturnType<typeof import('./compute').runGAN>>;
          drawLosses(res.steps, res.criticLoss, res.generatorLoss);
          scatter.clear();
          for (const q of res.samples) scatter.dot(q[0]!, q[1]!, 1.6, '#1f77b4');
          for (const m of res.modes) scatter.add('circle', { cx: scatter.X(m[0]!), cy: scatter.Y(m[1]!), r: 6, fill: 'none', stroke: '#d62728', 'stroke-width': 1.5 });
          info.replaceChildren(
            metrics([
              ['generator steps', String(res.steps)],
              ['modes captured (of 8)', String(res.modesCaptured)],
              ['high-quality samples (within 3σ of a mode)', `${(100 * res.highQualityFraction).toFixed(1)} %`],
              ['reverse KL of the mode histogram', fmt(res.reverseKl)],
              ['losses', 'blue: critic, orange: generator'],
            ]),
          );
        }),
    );
  });
}

// ------------------------------------------------------------------ RealNVP density

/** A G×G grid of values (row-major, first row at the bottom) as an SVG image filling `plot`. */
function heatmap(plot: Plot, values: number[], G: number, color: (t: number) => [number, number, number]) {
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

function flowPanel() {
  const r = panel('flow');
  const epochs = labelled(r.controls, 'epochs', el('input', { type: 'number', min: '1', max: '2000', value: '30', name: 'epochs', style: 'width:5em' })) as HTMLInputElement;
  const couplings = labelled(r.controls, 'coupling layers', slider(2, 12, 1, 6, 'couplings'), el('output', {}, '6')) as HTMLInputElement;
  const train = button(r.controls, 'Train', 'train');
  const density = new Plot(400, 250, [-1.5, 2.5], [-1, 1.5], 'learned log density with data');
  const lossHolder = el('div');
  const info = el('div');
  r.body.append(density.svg, lossHolder, info);
  r.status.textContent = 'press Train (not run at load: training takes seconds)';
  couplings.addEventListener('input', () => {
    (couplings.nextElementSibling as HTMLElement).textContent = couplings.value;
  });
  const drawNll = (nll: number[], total: number) => {
    const p = new Plot(360, 250, [0, Math.max(total, 1)], [Math.min(...nll) - 0.1, Math.max(...nll) + 0.1], 'NLL per epoch');
    p.path(
      nll.map((_, i) => i + 1),
      nll,
      { stroke: palette[0]!, 'stroke-width': 1.5 },
    );
    lossHolder.replaceChildren(p.svg);
  };
  train.addEventListener('click', () => {
    const input: FlowInput = { epochs: Number(epochs.value), couplings: Number(couplings.value), n: 400, seed: 1 };
    const nll: number[] = [];
    quiet(
      r
        .run(input, (p) => {
          nll.push(Number(p.nll));
          drawNll(nll, input.epochs);
          r.status.textContent = `epoch ${p.epoch}: NLL ${fmt(Number(p.nll))} nats`;
        })
        .then((o) => {
          const res = o as Awaited<ReturnType<typeof import('./compute').runFlow>>;
          drawNll(res.nll, res.epochs);
          density.clear();
          heatmap(density, res.logDensity.map((v) => Math.max(v, -8)), res.grid, (t) => [Math.round(255 - 200 * t), Math.round(255 - 120 * t), 255]);
          for (const q of res.X) density.dot(q[0]!, q[1]!, 1.3, '#333');
          for (const q of res.samples) density.dot(q[0]!, q[1]!, 1.5, '#d62728');
          info.replaceChildren(
            metrics([
              ['epochs', String(res.epochs)],
              ['final training NLL (nats)', fmt(res.nll[res.nll.length - 1]!)],
              ['colours', 'log p(x) floored at −8; black: data, red: flow samples'],
            ]),
          );
        }),
    );
  });
}

gpPanel();
otPanel();
dpmmPanel();
tagPanel();
boPanel();
convPanel();
ssmPanel();
conjugatePanel();
ganPanel();
flowPanel();
