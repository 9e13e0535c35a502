import { describe, expect, test } from 'vitest';
import { formatValue, renderReport, renderSvg } from './report.js';

describe('demo report', () => {
  test('formats numbers with 4 significant digits and escapes text', () => {
    expect(formatValue(Math.PI)).toBe('3.142');
    expect(formatValue(42)).toBe('42');
    expect(formatValue(1.23456e-7)).toBe('1.235e-7');
    expect(formatValue('<b>')).toBe('&lt;b&gt;');
  });

  test('compiles a Vega-Lite spec to SVG headlessly', async () => {
    const svg = await renderSvg({
      data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] },
      mark: 'line',
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('</svg>');
  });

  test('a failed demo is shown with its error, others still render', async () => {
    const html = await renderReport(
      [
        { demo: { id: 'a/x', title: 'A', section: 's', order: 1, run: () => ({ metrics: {}, plots: [] }) }, error: 'boom', seconds: 0.1 },
        { demo: { id: 'b/y', title: 'B', section: 's', order: 2, run: () => ({ metrics: {}, plots: [] }) }, result: { metrics: { m: 1.5 }, plots: [] }, seconds: 0.2 },
      ],
      'now',
    );
    expect(html).toContain('boom');
    expect(html).toContain('<td>1.5</td>');
  });
});
