import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One entry for the root and one per concern folder, so each folder is also a subpath export.
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
