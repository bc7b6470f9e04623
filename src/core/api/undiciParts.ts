/**
 * What dist/undici.js holds: the parts of undici this extension uses, its dispatchers with their
 * `request` API, rather than the package's index, which also loads fetch, WebSocket, EventSource, the
 * mocks and the caches. That is half the code, and it is compiled in one piece on the first request:
 * 85 ms for the whole package against 35 ms for these parts (docs/decisions.md, "Libraries in part").
 * esbuild bundles this file as dist/undici.js (esbuild.mjs); undiciLoader.ts loads it on first use.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
// As undici's index does: the request API (request, stream, pipeline…) on every dispatcher.
Object.assign(Dispatcher.prototype, require('undici/lib/api'));

module.exports = {
  Dispatcher,
  Agent: require('undici/lib/dispatcher/agent'),
  ProxyAgent: require('undici/lib/dispatcher/proxy-agent'),
  EnvHttpProxyAgent: require('undici/lib/dispatcher/env-http-proxy-agent'),
};
