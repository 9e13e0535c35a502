import { defineConfig } from 'tsup';

export default defineConfig({
  // `node` (`@notes/gp/node`) and its worker script are Node-only; the main entry never imports them.
  entry: { index: 'src/index.ts', node: 'src/node.ts', 'node-worker': 'src/parallel/worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' } },
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/],
  removeNodeProtocol: false,
  // import.meta.url in the CommonJS build (the pool finds its worker script next to itself)
  shims: true,
});
