import type * as Mediabunny from 'mediabunny';

let loaded: typeof Mediabunny | undefined;

/**
 * mediabunny (MPL-2.0), loaded on first use, like undici (core/api/undiciLoader.ts): the build puts it
 * in dist/mediabunny.js, so activation does not parse it; run from the sources it is the package.
 */
export function mediabunny(): typeof Mediabunny {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('mediabunny') as typeof Mediabunny);
}
