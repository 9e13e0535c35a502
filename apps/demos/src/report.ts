/**
 * Renders demo results into one self-contained HTML page: a table of contents, then per demo its
 * notes section, summary, metrics table, extra tables and plots (Vega-Lite compiled to SVG headlessly).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Demo, DemoResult, VegaLiteSpec } from './demo.js';

/** One finished (or failed) demo. */
export interface DemoOutcome {
  demo: Demo;
  result?: DemoResult;
  error?: string;
  seconds: number;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Numbers get 4 significant digits (integers stay whole); everything else is escaped text. */
export function formatValue(v: number | string | boolean): string {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(3);
    return String(Number(v.toPrecision(4)));
  }
  return escapeHtml(String(v));
}

/** Compiles a Vega-Lite spec and renders it to an SVG string without a browser. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const vgSpec = compile({ width: 420, height: 260, ...spec } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

function table(rows: Record<string, number | string | boolean>[]): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0] as object);
  const head = keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${keys.map((k) => `<td>${formatValue(r[k] ?? '')}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

async function section(o: DemoOutcome): Promise<string> {
  const { demo, result, error } = o;
  const anchor = demo.id.replace(/[^a-z0-9]+/gi, '-');
  const parts = [
    `<section id="${anchor}"><h2>${escapeHtml(demo.title)}</h2>`,
    `<p class="meta">notes: ${escapeHtml(demo.section)} · <code>${escapeHtml(demo.id)}</code> · ${o.seconds.toFixed(1)} s</p>`,
  ];
  if (error) parts.push(`<pre class="error">${escapeHtml(error)}</pre>`);
  if (result) {
    if (result.summary) parts.push(`<p>${result.summary}</p>`);
    const metrics = Object.entries(result.metrics).map(([metric, value]) => ({ metric, value }));
    parts.push(table(metrics));
    for (const t of result.tables ?? []) parts.push(`<h3>${escapeHtml(t.title)}</h3>`, table(t.rows));
    for (const spec of result.plots) parts.push(`<figure>${await renderSvg(spec)}</figure>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** The whole report as an HTML string. */
export async function renderReport(outcomes: DemoOutcome[], generated: string): Promise<string> {
  const toc = outcomes
    .map((o) => {
      const mark = o.error ? ' ✗' : '';
      return `<li><a href="#${o.demo.id.replace(/[^a-z0-9]+/gi, '-')}">${escapeHtml(o.demo.title)}</a>${mark}</li>`;
    })
    .join('\n');
  const sections: string[] = [];
  for (const o of outcomes) sections.push(await section(o));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>@notes demo report</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}
.meta{color:#666;font-size:.9em}.error{color:#b00;white-space:pre-wrap}figure{margin:.5em 0}
section{border-top:1px solid #ddd;margin-top:2em}
</style></head><body>
<h1>@notes demo report</h1>
<p class="meta">generated ${escapeHtml(generated)} · ${outcomes.length} demos · every demo runs on embedded data with a fixed seed</p>
<ol>${toc}</ol>
${sections.join('\n')}
</body></html>
`;
}
