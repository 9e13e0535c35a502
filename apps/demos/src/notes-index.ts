/**
 * Links from the report into the notes: finds a section heading's line in `docs/notes/notes.txt` and
 * renders the notes as `out/notes.html` with one anchor per line (`#L140`).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root, from apps/demos/src. */
export const REPO_ROOT = join(here, '..', '..', '..');
const NOTES_FILE = join(REPO_ROOT, 'docs', 'notes', 'notes.txt');

let cache: string[] | undefined;
function lines(): string[] {
  cache ??= readFileSync(NOTES_FILE, 'utf8').split('\n');
  return cache;
}

/** First line of the notes' body (after the two tables of contents, which end with an "Index" line each). */
function bodyStart(): number {
  const ls = lines();
  let seen = 0;
  for (let i = 0; i < ls.length; i++) {
    if (/^Index\t/.test(ls[i] as string)) {
      seen += 1;
      if (seen === 2) return i + 1;
    }
  }
  return 0;
}

/**
 * 1-based line of `heading` in the notes' body: the first line equal to it (trimmed), else the first line
 * containing it; undefined when absent.
 */
export function notesLine(heading: string): number | undefined {
  const ls = lines();
  const start = bodyStart();
  const h = heading.trim();
  for (let i = start; i < ls.length; i++) if ((ls[i] as string).trim() === h) return i + 1;
  for (let i = start; i < ls.length; i++) if ((ls[i] as string).includes(h)) return i + 1;
  return undefined;
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The notes as an HTML page with an anchor on every line. */
export function renderNotesHtml(): string {
  const body = lines()
    .map((l, i) => `<div id="L${i + 1}"><a class="n" href="#L${i + 1}">${i + 1}</a>${escapeHtml(l) || '&nbsp;'}</div>`)
    .join('\n');
  return `<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>理论笔记 — the notes</title>
<style>
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","WenQuanYi Micro Hei","PingFang SC","Microsoft YaHei",system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;white-space:pre-wrap;line-height:1.45}
.n{display:inline-block;width:3.5em;color:#999;text-decoration:none;font-size:.8em}
div:target{background:#fff3b0}
</style></head><body>
${body}
</body></html>
`;
}
