// Bundles the extension host code, the webview code and the integration suite with esbuild.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // When the bundle starts to evaluate: activate() logs how long loading took (extension.ts).
    banner: { js: 'var __omniVideoLoadStart = performance.now();' },
  },
  // One browser bundle per webview.
  ...['preview', 'panel', 'gallery'].map((name) => ({
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
