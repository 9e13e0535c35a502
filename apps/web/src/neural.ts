/**
 * The neural panels (GAN on the ring, RealNVP density, VAE latent walk, Hyena recall): loaded by main.ts only
 * when a panel comes near the viewport, so neither this code nor the packages its workers import are part of
 * the initial page. Each trains only when Train is pressed, with a small seeded budget (a fixed number of steps
 * or epochs, never a time limit, so the browser and Node train the same model).
 */
import type { FlowInput, GANInput, PanelId, RecallInput, VAEInput } from './compute';
import { button, el, fmt, heatmap, labelled, metrics, palette, panel, Plot, quiet, slider } from './ui';

// ------------------------------------------------------------------ GAN on the ring

/** The GAN panel: trains a GAN on the ring of Gaussians in a worker and shows frames of its samples. */
export function ganPanel() {
  const r = panel('gan');
  const objective = labelled(r.controls, 'objective', el('select', { name: 'objective' })) as HTMLSelectElement;
  for (const v of ['non-saturating', 'minimax', 'wgan']) objective.append(el('option', { value: v }, v === 'wgan' ? 'WGAN (spectral norm)' : v));
  const steps = labelled(r.controls, 'generator steps', el('input', { type: 'number', min: '1', max: '20000', value: '150', name: 'steps', style: 'width:5em' })) as HTMLInputElement;
  const frames = labelled(r.controls, 'frames', slider(1, 6, 1, 3, 'frames'), el('output', {}, '3')) as HTMLInputElement;
  frames.addEventListener('input', () => {
    (frames.nextElementSibling as HTMLElement).textContent = frames.value;
  });
  const train = button(r.controls, 'Train', 'train');
  const scatter = new Plot(340, 340, [-1.6, 1.6], [-1.6, 1.6], 'generated points and the 8 modes');
  const lossHolder = el('div');
  const framesHolder = el('div');
  const info = el('div');
  r.body.append(scatter.svg, lossHolder, framesHolder, info);
  r.status.textContent = 'press Train (a few seconds)';
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
  const drawSamples = (samples: number[][], label: string) => {
    scatter.clear();
    for (const q of samples) scatter.dot(q[0]!, q[1]!, 1.6, '#1f77b4');
    for (const m of modes) scatter.add('circle', { cx: scatter.X(m[0]!), cy: scatter.Y(m[1]!), r: 6, fill: 'none', stroke: '#d62728', 'stroke-width': 1.5 });
    scatter.add('text', { x: 6, y: 16, 'font-size': 12 }).textContent = label;
  };
  // the 8 modes of ringModes(): radius 1, angles 2πk/8
  const modes = Array.from({ length: 8 }, (_, k) => [Math.cos((2 * Math.PI * k) / 8), Math.sin((2 * Math.PI * k) / 8)]);
  drawSamples([], '');
  train.addEventListener('click', () => {
    const input: GANInput = { objective: objective.value as GANInput['objective'], steps: Number(steps.value), frames: Number(frames.value), seed: 1 };
    const c: number[] = [];
    const g: number[] = [];
    quiet(
      r
        .run(input, (p) => {
          if (p.samples) {
            drawSamples(p.samples as number[][], `after ${p.frameSteps} steps`);
            r.status.textContent = `frame ${p.frame}: ${p.frameSteps} steps; training on…`;
            return;
          }
          c.push(Number(p.criticLoss));
          g.push(Number(p.generatorLoss));
          drawLosses(Number(p.iteration), c, g);
          r.status.textContent = `step ${p.iteration}: critic loss ${fmt(Number(p.criticLoss))}, generator loss ${fmt(Number(p.generatorLoss))}`;
        })
        .then((o) => {
          const res = o as Awaited<ReturnType<typeof import('./compute').runGAN>>;
          drawLosses(res.steps, res.criticLoss, res.generatorLoss);
          drawSamples(res.samples, `after ${res.steps} steps`);
          // the frames side by side (the first 300 points of each; the same latent codes throughout)
          const strip = el('div', { class: 'frames' });
          for (const f of [...res.frames, { steps: res.steps, samples: res.samples.slice(0, 300) }]) {
            const t = new Plot(130, 130, [-1.6, 1.6], [-1.6, 1.6], `after ${f.steps} steps`);
            for (const m of modes) t.add('circle', { cx: t.X(m[0]!), cy: t.Y(m[1]!), r: 3, fill: 'none', stroke: '#d62728' });
            for (const q of f.samples) t.dot(q[0]!, q[1]!, 0.9, '#1f77b4');
            t.add('text', { x: 4, y: 12, 'font-size': 10 }).textContent = `${f.steps} steps`;
            strip.append(t.svg);
          }
          framesHolder.replaceChildren(strip);
          info.replaceChildren(
            metrics([
              ['generator steps', String(res.steps)],
              ['frames (steps)', [...res.frames.map((f) => f.steps), res.steps].join(', ')],
              ['each frame = the start of the final run', res.framesArePrefixes ? 'yes (same loss trace)' : 'NO'],
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
/** The RealNVP panel: fits a flow to two moons in a worker and draws its density. */
export function flowPanel() {
  const r = panel('flow');
  const epochs = labelled(r.controls, 'epochs', el('input', { type: 'number', min: '1', max: '2000', value: '30', name: 'epochs', style: 'width:5em' })) as HTMLInputElement;
  const couplings = labelled(r.controls, 'coupling layers', slider(2, 12, 1, 6, 'couplings'), el('output', {}, '6')) as HTMLInputElement;
  const train = button(r.controls, 'Train', 'train');
  const density = new Plot(400, 250, [-1.5, 2.5], [-1, 1.5], 'learned log density with data');
  const lossHolder = el('div');
  const info = el('div');
  r.body.append(density.svg, lossHolder, info);
  r.status.textContent = 'press Train (a few seconds)';
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

// ------------------------------------------------------------------ VAE latent walk

/** The VAE panel: trains a VAE on digits in a worker and walks its latent space. */
export function vaePanel() {
  const r = panel('vae');
  const epochs = labelled(r.controls, 'epochs', el('input', { type: 'number', min: '1', max: '500', value: '20', name: 'epochs', style: 'width:4em' })) as HTMLInputElement;
  const n = labelled(r.controls, 'training digits', el('select', { name: 'n' })) as HTMLSelectElement;
  for (const v of [200, 400, 600]) n.append(el('option', { value: String(v), ...(v === 600 ? { selected: '' } : {}) }, String(v)));
  const hidden = labelled(r.controls, 'hidden units', el('select', { name: 'hidden' })) as HTMLSelectElement;
  for (const v of [32, 64, 128]) hidden.append(el('option', { value: String(v), ...(v === 64 ? { selected: '' } : {}) }, String(v)));
  const grid = labelled(r.controls, 'walk grid', slider(5, 15, 1, 10, 'grid'), el('output', {}, '10')) as HTMLInputElement;
  grid.addEventListener('input', () => {
    (grid.nextElementSibling as HTMLElement).textContent = grid.value;
  });
  const train = button(r.controls, 'Train', 'train');
  const walkHolder = el('div');
  const latentPlot = new Plot(300, 300, [-3.5, 3.5], [-3.5, 3.5], 'posterior means of the training digits');
  const lossHolder = el('div');
  const info = el('div');
  r.body.append(walkHolder, latentPlot.svg, lossHolder, info);
  r.status.textContent = 'press Train (a few seconds)';
  const drawLoss = (v: number[], total: number) => {
    const p = new Plot(300, 200, [0, Math.max(total, 1)], [Math.min(...v) - 1, Math.max(...v) + 1], '−ELBO per epoch');
    p.path(
      v.map((_, i) => i + 1),
      v,
      { stroke: palette[0]!, 'stroke-width': 1.5 },
    );
    lossHolder.replaceChildren(p.svg);
  };
  train.addEventListener('click', () => {
    const input: VAEInput = { n: Number(n.value), epochs: Number(epochs.value), hidden: Number(hidden.value), grid: Number(grid.value), seed: 1 };
    const elbo: number[] = [];
    quiet(
      r
        .run(input, (p) => {
          elbo.push(Number(p.objective));
          drawLoss(elbo, input.epochs);
          r.status.textContent = `epoch ${p.epoch}: −ELBO ${fmt(Number(p.objective), 2)} nats per digit`;
        })
        .then((o) => {
          const res = o as Awaited<ReturnType<typeof import('./compute').runVAE>>;
          drawLoss(res.objective, res.epochs);
          // the latent walk: G×G decoded digits in one canvas, z1 left → right, z2 top → bottom decreasing
          const S = res.size;
          const G = res.grid;
          const canvas = document.createElement('canvas');
          canvas.width = G * S;
          canvas.height = G * S;
          const ctx2 = canvas.getContext('2d') as CanvasRenderingContext2D;
          const img = ctx2.createImageData(G * S, G * S);
          res.decoded.forEach((d, k) => {
            const gr = Math.floor(k / G);
            const gc = k % G;
            for (let p = 0; p < S * S; p++) {
              const v = Math.round(255 * (1 - d[p]!));
              img.data.set([v, v, v, 255], 4 * ((gr * S + Math.floor(p / S)) * G * S + gc * S + (p % S)));
            }
          });
          ctx2.putImageData(img, 0, 0);
          const walk = new Plot(300, 300, [-res.span, res.span], [-res.span, res.span], 'decoded latent grid');
          walk.add('image', { href: canvas.toDataURL(), x: 0, y: 0, width: 300, height: 300, preserveAspectRatio: 'none' });
          walkHolder.replaceChildren(walk.svg);
          // posterior means on axes that hold them and the walk's box
          const m = 1.1 * Math.max(res.span, ...res.latent.flatMap(([a, b]) => [Math.abs(a!), Math.abs(b!)]));
          const lp = new Plot(300, 300, [-m, m], [-m, m], 'posterior means of the training digits');
          lp.add('rect', { x: lp.X(-res.span), y: lp.Y(res.span), width: lp.X(res.span) - lp.X(-res.span), height: lp.Y(-res.span) - lp.Y(res.span), fill: 'none', stroke: '#bbb', 'stroke-dasharray': '4 3' });
          for (const [a, b, label] of res.latent) lp.dot(a!, b!, 1.8, palette[label!]!);
          lp.add('text', { x: 6, y: 16, 'font-size': 11 }).textContent = `axes ±${m.toFixed(1)}`;
          latentPlot.svg.replaceWith(lp.svg);
          Object.assign(latentPlot, { svg: lp.svg });
          info.replaceChildren(
            metrics([
              ['epochs', String(res.epochs)],
              ['training −ELBO, last epoch (nats per digit)', fmt(res.objective[res.objective.length - 1]!, 2)],
              ['architecture', `196-${input.hidden}-(2×2) / 2-${input.hidden}-196, tanh, Bernoulli decoder, Adam 3e-3, batch 50`],
              ['left', `decoder means at a ${G}×${G} grid of z ∈ [−${res.span}, ${res.span}]² (the dashed box on the right)`],
              ['right', 'posterior means of the training digits, coloured by label 0–9 (palette order)'],
            ]),
          );
        }),
    );
  });
}

// ------------------------------------------------------------------ Hyena associative recall

/** The Hyena panel: fits the associative-recall model in a worker and reports its accuracy. */
export function recallPanel() {
  const r = panel('recall');
  const count = labelled(r.controls, 'training sequences', el('input', { type: 'number', min: '8', max: '20000', value: '400', name: 'count', style: 'width:5em' })) as HTMLInputElement;
  const epochs = labelled(r.controls, 'epochs', el('input', { type: 'number', min: '1', max: '200', value: '2', name: 'epochs', style: 'width:4em' })) as HTMLInputElement;
  const width = labelled(r.controls, 'width', el('select', { name: 'width' })) as HTMLSelectElement;
  for (const v of [16, 32, 64]) width.append(el('option', { value: String(v), ...(v === 32 ? { selected: '' } : {}) }, String(v)));
  const length = labelled(r.controls, 'length L', el('select', { name: 'length' })) as HTMLSelectElement;
  for (const v of [8, 12, 16, 24]) length.append(el('option', { value: String(v), ...(v === 12 ? { selected: '' } : {}) }, String(v)));
  const train = button(r.controls, 'Train', 'train');
  const lossHolder = el('div');
  const profileHolder = el('div');
  const example = el('div', { class: 'tags' });
  const info = el('div');
  r.body.append(lossHolder, profileHolder, info, example);
  r.status.textContent = 'press Train (a few seconds)';
  const drawLoss = (steps: number[], v: number[], total: number) => {
    const p = new Plot(300, 200, [0, Math.max(total, 1)], [0, Math.max(...v, 2.5)], 'training loss per step (nats per token)');
    p.path(steps, v, { stroke: palette[0]!, 'stroke-width': 1.5 });
    lossHolder.replaceChildren(p.svg);
  };
  train.addEventListener('click', () => {
    const input: RecallInput = { vocabulary: 8, length: Number(length.value), count: Number(count.value), epochs: Number(epochs.value), width: Number(width.value), seed: 1 };
    const total = input.epochs * Math.ceil(input.count / 8);
    const steps: number[] = [];
    const loss: number[] = [];
    quiet(
      r
        .run(input, (p) => {
          steps.push(Number(p.step));
          loss.push(Number(p.loss));
          drawLoss(steps, loss, total);
          r.status.textContent = `step ${p.step} of ${total}: loss ${fmt(Number(p.loss), 3)} nats per token`;
        })
        .then((o) => {
          const res = o as Awaited<ReturnType<typeof import('./compute').runRecall>>;
          drawLoss(
            res.loss.map((_, i) => 5 * (i + 1)),
            res.loss,
            res.steps,
          );
          // memory profile: log10 m_n by lag n, trained (blue) and untrained (grey); lags of the query key marked
          const t = res.profile.length - 1;
          const lg = (v: number) => Math.log10(Math.max(v, 1e-6));
          const all = [...res.profile, ...res.profileUntrained].map(lg);
          const p = new Plot(360, 200, [0, t], [Math.floor(Math.min(...all)), Math.ceil(Math.max(...all))], 'memory profile at the query');
          for (const k of res.keyLags) p.add('line', { x1: p.X(k), x2: p.X(k), y1: 0, y2: p.h, stroke: '#d62728', 'stroke-dasharray': '3 3' });
          const lags = res.profile.map((_, i) => i);
          p.path(lags, res.profileUntrained.map(lg), { stroke: '#999', 'stroke-width': 1.5 });
          p.path(lags, res.profile.map(lg), { stroke: palette[0]!, 'stroke-width': 2 });
          for (const [i, v] of res.profile.entries()) p.dot(i, lg(v), 2.5, palette[0]!);
          profileHolder.replaceChildren(p.svg);
          const half = Math.floor(input.vocabulary / 2);
          const name = (tok: number) => (tok === input.vocabulary ? 'bos' : tok < half ? `k${tok}` : `v${tok - half}`);
          example.replaceChildren(
            ...res.sequence.slice(0, -1).map((tok, i) => {
              const last = i === res.sequence.length - 2;
              const d = el('span', { class: 'tok' }, name(tok));
              if (last) d.append(el('b', {}, `→ ${name(res.predicted)}`), el('i', {}, `answer ${name(res.answer)}`));
              else if (tok === res.sequence[res.sequence.length - 2] && i % 2 === 1) d.append(el('b', {}, 'query key'));
              return d;
            }),
          );
          info.replaceChildren(
            metrics([
              ['optimiser steps (batch 8)', String(res.steps)],
              ['recall accuracy on 200 test sequences', `${(100 * res.accuracy).toFixed(1)} %`],
              ['the same model untrained', `${(100 * res.accuracyUntrained).toFixed(1)} %`],
              ['chance (1 / number of values)', `${(100 * res.chance).toFixed(1)} %`],
              ['test loss (nats per token)', fmt(res.testLoss, 3)],
              ['profile', 'log₁₀ m_n = Σ_d |∂z_{t,c}/∂x_{t−n,d}| by lag n at the query; blue trained, grey untrained; red: lags of the query key'],
              ['example (below)', 'a test sequence: keys k·, values v·; the prediction at the query and the answer'],
            ]),
          );
        }),
    );
  });
}

/** Builds the panel `id` in its frame (called by main.ts when the frame comes near the viewport). */
export function mount(id: PanelId) {
  if (id === 'gan') ganPanel();
  else if (id === 'flow') flowPanel();
  else if (id === 'vae') vaePanel();
  else if (id === 'recall') recallPanel();
}
