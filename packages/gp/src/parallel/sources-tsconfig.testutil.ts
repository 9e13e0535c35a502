/**
 * A tsconfig `paths` table that maps every workspace package `@notes/<pkg>` (and its subpaths) to its sources, for
 * child processes and workers started through tsx in tests: they then run the same code as vitest's calling
 * thread, even while another package's dist/ is stale or being rebuilt.
 * @internal
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Writes `tsconfig.json` with that table into `dir` and returns its path. */
export function writeSourcesTsconfig(dir: string): string {
  const packagesDir = fileURLToPath(new URL('../../..', import.meta.url));
  const paths: Record<string, string[]> = {};
  for (const pkg of readdirSync(packagesDir)) {
    const manifest = join(packagesDir, pkg, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
    paths[name] = [join(packagesDir, pkg, 'src/index.ts')];
    paths[`${name}/*`] = [join(packagesDir, pkg, 'src/*/index.ts')];
  }
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { baseUrl: packagesDir, paths } }));
  return tsconfig;
}
