/**
 * The page: one panel per notes topic. The main thread only builds controls and draws (plain SVG); every
 * computation runs in the panel's own module worker (worker.ts). The eight classic panels are built at load
 * and run once; the neural panels (GAN, RealNVP, VAE, Hyena) get their frame (heading, links) at load and their
 * code (neural.ts, and the packages they import in the worker) only when they come near the viewport. What the
 * browser test reads is recorded in `window.__web` (ui.ts).
 */
import type { BOInput, ConjugateInput, ConvInput, DPMMInput, GPInput, OTInput, PanelId, SSMInput, TagInput } from './compute';
import { button, el, fmt, frame, labelled, metrics, palette, panel, Plot, quiet, slider, state } from './ui';

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

// ------------------------------------------------------------------ the page

gpPanel();
otPanel();
dpmmPanel();
tagPanel();
boPanel();
convPanel();
ssmPanel();
conjugatePanel();

// the neural panels: frames now, code when a panel comes within 600 px of the viewport
const lazy: PanelId[] = ['gan', 'flow', 'vae', 'recall'];
for (const id of lazy) {
  const section = frame(id);
  section.append(el('div', { class: 'status placeholder' }, 'loads when scrolled into view…'));
  const seen = new IntersectionObserver(
    (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      seen.disconnect();
      import('./neural').then((m) => m.mount(id)).catch((e: Error) => state.errors.push(`${id}: ${e.message}`));
    },
    { rootMargin: '600px 0px' },
  );
  seen.observe(section);
}
