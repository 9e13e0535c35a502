import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One entry for the root and one per concern folder, so each folder is also a subpath export.
const folders = readdirSync('src', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`src/${d.name}/index.ts`))
  .map((d) => `src/${d.name}/index.ts`);

// Every module that imports a stdlib-js package is also an entry (internal: not in `exports`, no .d.ts), so
// that it gets a file of its own instead of sharing a chunk with the rest of its folder. stdlib's packages are
// CommonJS without `"sideEffects": false`, so a bundler keeps them whenever the file importing them is kept:
// in a shared chunk, `createRng` or `resolveRng` alone would pull in every sampler of random/ (~160 KiB
// minified). Measured by apps/web/scripts/bundle-budgets.mjs; guarded by src/bundle-size.test.ts.
const stdlibImporters = readdirSync('src', { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('testutil'))
  .map((f) => `src/${f.replaceAll('\\', '/')}`)
  .filter((f) => /from '@stdlib\//.test(readFileSync(f, 'utf8')));

export default defineConfig({
  entry: ['src/index.ts', ...folders, ...stdlibImporters],
  format: ['esm', 'cjs'],
  dts: { entry: ['src/index.ts', ...folders] },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  target: 'es2022',
  platform: 'neutral',
});
