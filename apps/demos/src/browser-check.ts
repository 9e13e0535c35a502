/**
 * Opens out/report.html in headless Chromium (Debian's `chromium`, driven by playwright-core; no browser
 * download) at a 1,280 px window and fails on: a console error, a page wider than the window, an SVG mark
 * drawn outside its plot area, a section with no claim, a failed claim. Saves full-page screenshots in out/.
 *
 *   pnpm --filter @notes/demos browser-check        (after `pnpm demo`)
 * The browser is `$CHROMIUM_PATH` or /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'out');
const report = join(outDir, 'report.html');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WIDTH = 1280;
/** Pixels a mark may stick out of its plot area (symbol radius, stroke width, anti-aliasing). */
const SLACK = 6;

if (!existsSync(report)) {
  console.error(`browser-check: ${report} is missing; run \`pnpm demo\` first`);
  process.exit(1);
}
if (!existsSync(executablePath)) {
  console.error(`browser-check: no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)`);
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const problems: string[] = [];
try {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });

  const facts = await page.evaluate((slack) => {
    const out = {
      scrollWidth: document.documentElement.scrollWidth,
      sections: 0,
      noClaim: [] as string[],
      failedClaims: [] as string[],
      claims: 0,
      svgs: 0,
      marksChecked: 0,
      outside: [] as string[],
    };
    const sections = Array.from(document.querySelectorAll('section'));
    out.sections = sections.length;
    for (const s of sections) {
      const title = s.querySelector('h2')?.textContent ?? s.id;
      const rows = Array.from(s.querySelectorAll('table.claims tbody tr'));
      out.claims += rows.length;
      if (rows.length === 0) out.noClaim.push(title);
      for (const r of rows) if (r.classList.contains('fail')) out.failedClaims.push(`${title}: ${r.children[1]?.textContent ?? ''}`);
      for (const svg of Array.from(s.querySelectorAll('figure svg'))) {
        out.svgs += 1;
        // Each Vega view (and each cell of a concatenated/faceted view) is a group with a background path
        // of the plot's width × height; its marks must stay inside it.
        const frames = Array.from(svg.querySelectorAll('g.mark-group')).filter((g) => g.querySelector(':scope > g > path.background'));
        for (const frame of frames) {
          const bg = frame.querySelector(':scope > g > path.background') as SVGGraphicsElement;
          const box = bg.getBoundingClientRect();
          if (box.width === 0 || box.height === 0) continue;
          const content = bg.parentElement?.querySelector(':scope > g') ?? null;
          if (!content) continue;
          for (const markGroup of Array.from(content.querySelectorAll(':scope > g.role-mark'))) {
            if (markGroup.closest('[clip-path]')) continue; // clipped marks cannot show outside
            for (const el of Array.from(markGroup.querySelectorAll('path, rect, circle, line, text'))) {
              const b = el.getBoundingClientRect();
              if (b.width === 0 && b.height === 0) continue;
              out.marksChecked += 1;
              if (b.left < box.left - slack || b.right > box.right + slack || b.top < box.top - slack || b.bottom > box.bottom + slack) {
                out.outside.push(`${title}: a ${el.tagName} mark at (${Math.round(b.left)}, ${Math.round(b.top)})–(${Math.round(b.right)}, ${Math.round(b.bottom)}) outside its plot (${Math.round(box.left)}, ${Math.round(box.top)})–(${Math.round(box.right)}, ${Math.round(box.bottom)})`);
                break;
              }
            }
          }
        }
      }
    }
    return out;
  }, SLACK);

  if (facts.scrollWidth > WIDTH) problems.push(`page is ${facts.scrollWidth} px wide at a ${WIDTH} px window`);
  for (const t of facts.noClaim) problems.push(`section without a claim: ${t}`);
  for (const t of facts.failedClaims) problems.push(`failed claim: ${t}`);
  for (const t of facts.outside) problems.push(`mark outside plot area: ${t}`);
  await page.screenshot({ path: join(outDir, 'report-1280.png'), fullPage: true });
  const top = await browser.newPage({ viewport: { width: WIDTH, height: 1000 } });
  await top.goto(pathToFileURL(report).href, { waitUntil: 'load' });
  await top.screenshot({ path: join(outDir, 'report-top.png') });
  console.log(
    `browser-check: ${facts.sections} sections, ${facts.claims} claims, ${facts.svgs} plots, ${facts.marksChecked} marks checked, page width ${facts.scrollWidth} px at ${WIDTH} px`,
  );
} finally {
  await browser.close();
}
if (problems.length > 0) {
  for (const p of problems) console.error(`browser-check: ${p}`);
  console.error(`browser-check: FAILED (${problems.length} problems); screenshots in ${outDir}`);
  process.exit(1);
}
console.log(`browser-check: passed; screenshots out/report-1280.png, out/report-top.png`);
