import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

/**
 * undici, loaded on first use rather than when the extension loads: it is about half of the code and
 * nothing needs it before the first request. The build puts it in a file of its own, dist/undici.js,
 * and turns this `require` into one of that file (esbuild.mjs), so VS Code does not even parse it at
 * start; run from the sources (tests, bench) it is the package itself.
 */
export function undici(): typeof Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('undici') as typeof Undici);
}
