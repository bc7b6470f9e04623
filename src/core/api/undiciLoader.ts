import type * as Undici from 'undici';

/** The parts of undici the extension uses: all that dist/undici.js holds (undiciParts.ts). */
export type UndiciParts = Pick<typeof Undici, 'Dispatcher' | 'Agent' | 'ProxyAgent' | 'EnvHttpProxyAgent'>;

let loaded: UndiciParts | undefined;

/**
 * undici, loaded on first use rather than when the extension loads: nothing needs it before the first
 * request. The build puts the parts we use (undiciParts.ts) in a file of their own, dist/undici.js,
 * and turns this `require` into one of that file (esbuild.mjs), so VS Code does not even parse it at
 * start. Run from the sources (tests, bench) it is the same parts.
 */
export function undici(): UndiciParts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('./undiciParts') as UndiciParts);
}
