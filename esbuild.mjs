// Bundles the extension host code, the webview code and the integration suite with esbuild.
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/**
 * Libraries loaded on first use rather than at start (src/core/api/undiciLoader.ts,
 * src/core/media/mediabunnyLoader.ts): the `require` of each in the extension bundle becomes one of
 * `./<name>.js`, a bundle of its own beside it, which holds only the parts we use
 * (src/core/api/undiciParts.ts, src/core/media/mediabunnyParts.ts), not the library's whole index.
 */
const require = createRequire(import.meta.url);
const APART = [
  { name: 'undici', request: './undiciParts', entry: 'src/core/api/undiciParts.ts' },
  { name: 'mediabunny', request: './mediabunnyParts', entry: 'src/core/media/mediabunnyParts.ts' },
];
/** @type {esbuild.Plugin} */
const librariesApart = {
  name: 'libraries-apart',
  setup(build) {
    for (const { name, request } of APART) {
      build.onResolve({ filter: new RegExp(`^${request.replace(/[./]/g, (c) => `\\${c}`)}$`) }, () => ({ path: `./${name}.js`, external: true }));
    }
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
    plugins: [librariesApart],
    // When the bundle starts to evaluate: activate() logs how long loading took (extension.ts).
    banner: { js: 'var __omniVideoLoadStart = performance.now();' },
  },
  // The film worker's entry (src/core/media/filmInWorker.ts starts it beside the extension bundle);
  // it loads dist/mediabunny.js like the extension does.
  {
    entryPoints: ['src/core/media/filmWorker.ts'],
    outfile: 'dist/filmWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [librariesApart],
  },
  // The gallery's poster reader (src/core/media/posterReader.ts starts it beside the extension bundle).
  {
    entryPoints: ['src/core/media/posterWorker.ts'],
    outfile: 'dist/posterWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [librariesApart],
  },
  // undici and mediabunny in files of their own, loaded on first use: VS Code would otherwise parse
  // them at every start. mediabunny is MPL-2.0: its licence ships beside it.
  ...APART.map(({ name, entry }) => ({
    entryPoints: [entry],
    outfile: `dist/${name}.js`,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    legalComments: 'eof',
  })),
  // One browser bundle per webview.
  ...['preview', 'panel', 'gallery', 'usage', 'compare'].map((name) => ({
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
copyFileSync(path.join(path.dirname(require.resolve('mediabunny')), '..', '..', 'LICENSE'), 'dist/mediabunny.LICENSE.txt');
