// Bundles the extension host code, the webview code and the integration suite with esbuild.
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** `require('undici')` in the extension bundle becomes `require('./undici.js')`, the bundle beside it. */
/** @type {esbuild.Plugin} */
const undiciApart = {
  name: 'undici-apart',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: './undici.js', external: true }));
  },
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [undiciApart],
    // When the bundle starts to evaluate: activate() logs how long loading took (extension.ts).
    banner: { js: 'var __omniVideoLoadStart = performance.now();' },
  },
  // undici in a file of its own, loaded on the first request (src/core/api/undiciLoader.ts): it is half
  // of the code, and VS Code would otherwise parse it at every start.
  {
    entryPoints: [createRequire(import.meta.url).resolve('undici')],
    outfile: 'dist/undici.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // One browser bundle per webview.
  ...['preview', 'panel', 'gallery', 'usage'].map((name) => ({
    entryPoints: [`media/${name}.ts`],
    outfile: `dist/media/${name}.js`,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  })),
];
if (!production) {
  targets.push({
    entryPoints: ['test/integration/index.ts'],
    outfile: 'out/test/suite/index.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  });
}

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context({ ...common, ...t })));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching');
} else {
  await Promise.all(targets.map((t) => esbuild.build({ ...common, ...t })));
}
