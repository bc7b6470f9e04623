import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

/**
 * undici, evaluated on first use rather than when the extension loads: it is about a third of the
 * bundle and nothing needs it before the first request. esbuild keeps a `require` of a CommonJS
 * package as a lazily initialised module.
 */
export function undici(): typeof Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('undici') as typeof Undici);
}
