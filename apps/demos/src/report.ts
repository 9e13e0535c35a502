/**
 * Renders demo results into one self-contained HTML page: a table of contents, then per demo its
 * notes section, summary, metrics table, extra tables and plots (Vega-Lite compiled to SVG headlessly).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Claim, Demo, DemoResult, VegaLiteSpec } from './demo.js';
import { linksFor } from './links.js';
import { notesLine } from './notes-index.js';

/** From out/report.html to the repository root. */
const TO_ROOT = '../../../';

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

/** Anchor id of a demo's section. */
export function anchorOf(demo: Demo): string {
  return demo.id.replace(/[^a-z0-9]+/gi, '-');
}

/** Links of a demo: its notes section (out/notes.html and docs/notes/notes.txt), code and tests. */
export function linksOf(demo: Demo): string {
  const links = linksFor(demo);
  const parts: string[] = [];
  const heading = links.notes ?? demo.section.split(/ ·| \(|（/)[0] ?? demo.section;
  const line = notesLine(heading);
  if (line !== undefined) {
    parts.push(`<a href="notes.html#L${line}">notes §${escapeHtml(heading)}</a> (<a href="${TO_ROOT}docs/notes/notes.txt#L${line}">L${line}</a>)`);
  }
  const file = (p: string): string => `<a href="${TO_ROOT}${escapeHtml(p)}"><code>${escapeHtml(p.replace(/\/$/, '').split('/').slice(-2).join('/'))}</code></a>`;
  if (links.code.length) parts.push(`code ${links.code.map(file).join(', ')}`);
  if (links.tests.length) parts.push(`tests ${links.tests.map(file).join(', ')}`);
  return parts.join(' · ');
}

/** Claims held / total of an outcome (a failed demo counts one failed claim). */
export function claimCounts(o: DemoOutcome): { held: number; total: number } {
  if (o.error) return { held: 0, total: Math.max(1, o.result?.claims?.length ?? 0) };
  const claims = o.result?.claims ?? [];
  return { held: claims.filter((c) => c.holds).length, total: claims.length };
}

function claimsTable(claims: Claim[]): string {
  if (claims.length === 0) return '<p class="noclaim">no claims</p>';
  const rows = claims
    .map(
      (c) =>
        `<tr class="${c.holds ? 'ok' : 'fail'}"><td>${c.holds ? '✓' : '✗'}</td><td>${escapeHtml(c.statement)}</td>` +
        `<td>${formatValue(c.measured)}</td><td>${escapeHtml(c.expected)}</td></tr>`,
    )
    .join('\n');
  return `<table class="claims"><thead><tr><th></th><th>claim</th><th>measured</th><th>expected</th></tr></thead><tbody>${rows}</tbody></table>`;
}

async function section(o: DemoOutcome): Promise<string> {
  const { demo, result, error } = o;
  const parts = [
    `<section id="${anchorOf(demo)}" data-claims="${result?.claims?.length ?? 0}"><h2>${escapeHtml(demo.title)}</h2>`,
    `<p class="meta">${escapeHtml(demo.section)} · <code>${escapeHtml(demo.id)}</code> · ${o.seconds.toFixed(1)} s</p>`,
    `<p class="links">${linksOf(demo)}</p>`,
  ];
  if (error) parts.push(`<pre class="error">${escapeHtml(error)}</pre>`);
  if (result) {
    parts.push(claimsTable(result.claims ?? []));
    if (result.summary) parts.push(`<p>${escapeHtml(result.summary)}</p>`);
    const metrics = Object.entries(result.metrics).map(([metric, value]) => ({ metric, value }));
    parts.push(table(metrics));
    for (const t of result.tables ?? []) parts.push(`<h3>${escapeHtml(t.title)}</h3>`, table(t.rows));
    const figures: string[] = [];
    for (const spec of result.plots) figures.push(`<figure>${await renderSvg(spec)}</figure>`);
    if (figures.length) parts.push(`<div class="plots">${figures.join('\n')}</div>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** The whole report as an HTML string. */
export async function renderReport(outcomes: DemoOutcome[], generated: string): Promise<string> {
  let held = 0;
  let total = 0;
  const summary = outcomes
    .map((o) => {
      const c = claimCounts(o);
      held += c.held;
      total += c.total;
      const status = o.error ? 'failed' : c.total === 0 ? 'no claims' : c.held === c.total ? 'all hold' : `${c.total - c.held} fail`;
      const cls = o.error || c.held < c.total || c.total === 0 ? 'fail' : 'ok';
      return (
        `<tr class="${cls}"><td><a href="#${anchorOf(o.demo)}">${escapeHtml(o.demo.title)}</a></td>` +
        `<td>${c.held} / ${c.total}</td><td>${status}</td><td>${o.seconds.toFixed(1)} s</td><td class="links">${linksOf(o.demo)}</td></tr>`
      );
    })
    .join('\n');
  const sections: string[] = [];
  for (const o of outcomes) sections.push(await section(o));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>@notes demo report</title>
<style>
body{font-family:system-ui,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","WenQuanYi Micro Hei","PingFang SC","Microsoft YaHei",sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#222;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:.5em 0;max-width:100%}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}
.meta,.links{color:#666;font-size:.9em}.error{color:#b00;white-space:pre-wrap}
.plots{display:flex;flex-wrap:wrap;gap:1em}figure{margin:.5em 0;max-width:100%;overflow:hidden}figure svg{max-width:100%;height:auto}
section{border-top:1px solid #ddd;margin-top:2em}
tr.ok td:first-child{color:#070}tr.fail td:first-child,tr.fail{color:#b00}.claims td:first-child{font-weight:bold}
.noclaim{color:#b00}
</style></head><body>
<h1>@notes demo report</h1>
<p class="meta">generated ${escapeHtml(generated)} · ${outcomes.length} demos · every demo runs on embedded data with a fixed seed.
Each section lists the claims its demo computes from its own data (✓ holds, ✗ does not); <code>pnpm demo</code> fails when a claim fails.</p>
<h2>Summary: ${held} of ${total} claims hold</h2>
<table class="summary"><thead><tr><th>section</th><th>claims held</th><th>status</th><th>time</th><th>notes · code · tests</th></tr></thead><tbody>
${summary}
</tbody></table>
${sections.join('\n')}
</body></html>
`;
}
