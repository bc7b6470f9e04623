import type * as Mediabunny from 'mediabunny';

let loaded: typeof Mediabunny | undefined;

/**
 * mediabunny (MPL-2.0), loaded on first use, like undici (core/api/undiciLoader.ts): the build puts it
 * in dist/mediabunny.js, so activation does not parse it; run from the sources it is the package.
 * Its warnings (a codec it does not know, an encryption scheme it cannot decrypt) are not printed: they
 * would land in the extension host's console, and what matters reaches the user as our own messages.
 */
export function mediabunny(): typeof Mediabunny {
  if (!loaded) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('mediabunny') as typeof Mediabunny;
    loaded.Logging.level = loaded.LogLevel.Errors;
  }
  return loaded;
}
