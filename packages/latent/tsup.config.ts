import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One entry for the root and one per section folder with an index.ts (em, mixture, pca, discrete, reparam,
// vae, vrnn, flows, contrastive), so each section is also a subpath export (`@notes/latent/flows`, …).
// Splitting keeps shared code (classes such as FlowModel) in one chunk, so the root and the subpaths hand
// out the same classes.
const folders = readdirSync('src', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`src/${d.name}/index.ts`))
  .map((d) => `src/${d.name}/index.ts`);

export default defineConfig({
  entry: ['src/index.ts', ...folders],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: 'es2022',
  platform: 'neutral',
});
