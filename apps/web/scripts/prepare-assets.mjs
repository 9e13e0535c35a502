// Copies what the site serves besides its code into public/ (git-ignored, rebuilt by every build):
// the notes text, the source and test files each panel links to (shown by view.html), and the Brown CRF tagger
// exported by packages/crf/scripts/export-tagger.ts (committed there as exports/brown-crf-tagger.json).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(web, '..', '..');
const pub = join(web, 'public');
rmSync(pub, { recursive: true, force: true });

const panels = JSON.parse(readFileSync(join(web, 'src', 'panels.json'), 'utf8'));
const files = ['docs/notes/notes.txt', ...panels.flatMap((p) => [p.code, p.test])];
for (const f of files) {
  const from = join(root, f);
  if (!existsSync(from)) throw new Error(`prepare-assets: ${f} (linked by a panel) does not exist`);
  const to = join(pub, 'repo', f);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}
const tagger = join(root, 'packages', 'crf', 'exports', 'brown-crf-tagger.json');
mkdirSync(join(pub, 'models'), { recursive: true });
copyFileSync(tagger, join(pub, 'models', 'brown-crf-tagger.json'));
console.log(`prepare-assets: ${files.length} linked files and the CRF tagger copied into public/`);
