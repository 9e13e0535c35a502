// Shared vitest configuration for every @notes package.
// - Workspace packages resolve to their TypeScript sources, so tests never run against a stale build.
// - Each package writes vitest's JSON report to test-results.json; tooling/scripts/run-tests.mjs sums them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Aliases `@notes/<pkg>` and `@notes/<pkg>/<sub>` to `packages/<dir>/src/...`. */
function workspaceAliases() {
  const aliases = [];
  const packagesDir = join(root, 'packages');
  if (!existsSync(packagesDir)) return aliases;
  for (const dir of readdirSync(packagesDir)) {
    const manifest = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(readFileSync(manifest, 'utf8'));
    const src = join(packagesDir, dir, 'src');
    const escaped = name.replace('/', '\\/');
    aliases.push({ find: new RegExp(`^${escaped}/(.+)$`), replacement: `${src}/$1/index.ts` });
    aliases.push({ find: new RegExp(`^${escaped}$`), replacement: `${src}/index.ts` });
  }
  return aliases;
}

/**
 * @param {import('vitest/config').UserConfig['test']} [overrides]
 * @returns {import('vitest/config').UserConfig}
 */
export function notesVitestConfig(overrides = {}) {
  return {
    resolve: { alias: workspaceAliases() },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: process.env.CI ? ['dot', 'json'] : ['default', 'json'],
      outputFile: { json: 'test-results.json' },
      // Generous for a busy 2-core machine (two suites at once plus another CPU-bound process): a test that
      // passes alone in 20 s may take several times that there. Keep each test file well under ~20 s alone.
      testTimeout: 180_000,
      hookTimeout: 180_000,
      ...overrides,
    },
  };
}
