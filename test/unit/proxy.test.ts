import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { promisify } from 'node:util';
import type { Dispatcher } from 'undici';
import { OmniVideoClient } from '../../src/core/api/apiClient';
import { OmniVideoError } from '../../src/core/common/errors';
import { JobManager } from '../../src/core/jobs/jobManager';
import { JobStore } from '../../src/core/jobs/jobStore';
import { MemoryStateStorage } from '../support/memoryState';
import type { Logger } from '../../src/core/common/logger';
import {
  buildDispatcher,
  bypassesProxy,
  DispatcherCache,
  parseNoProxy,
  proxyConfigKey,
  redactProxyUrl,
  type ProxyConfig,
} from '../../src/core/api/proxy';
import { isLoopbackHost } from '../../src/core/common/network';
import { buildTextRequest, parseGenerationParams } from '../../src/core/api/requestBuilder';
import { startConnectProxy, type ConnectProxy } from '../simulator/connectProxy';
import { startSimulator, LANDSCAPE_FIXTURE, type Simulator } from '../simulator/server';
import { tempDir } from './helpers';

const run = promisify(execFile);
const body = { model: 'omni-fast', prompt: 'A lighthouse in a storm', seconds: '4' as const, aspect_ratio: '16:9' as const };
const PROXY_USER = 'omni-proxy-user';
const PROXY_PASSWORD = 'Pr0xy-S3cret!7c1d';

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return { lines, trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

function config(patch: Partial<ProxyConfig> = {}): ProxyConfig {
  return { strictSSL: true, noProxy: [], ...patch };
}

/** create → poll to completed → download, through `dispatcher`; returns the bytes saved. */
async function fullRun(baseUrl: string, token: string, dispatcher: Dispatcher, dir: string, logger?: Logger): Promise<Buffer> {
  const client = new OmniVideoClient({ baseUrl, getToken: async () => token, dispatcher, logger, requestTimeoutMs: 5000 });
  const created = await client.createVideo(body);
  for (let i = 0; ; i++) {
    const job = await client.getVideo(created.id);
    if (job.status === 'completed') break;
    assert.ok(i < 300, 'the job completes');
    await new Promise((r) => setTimeout(r, 20));
  }
  const file = path.join(dir, `${created.id}.mp4`);
  await client.downloadContent(created.id, file);
  return readFile(file);
}

describe('Proxy: routing rules', () => {
  it('noProxy entries: *, host and its subdomains, .suffix, *.suffix, host:port, IPs, [v6]:port, CIDR', () => {
    const cases: [string[], string, boolean][] = [
      [['*'], 'https://anything.example', true],
      [['example.com'], 'https://example.com', true],
      [['example.com'], 'https://api.example.com', true],
      [['example.com'], 'https://badexample.com', false],
      [['.example.com'], 'https://api.example.com', true],
      [['.example.com'], 'https://example.com', true],
      [['*.corp'], 'https://models.corp', true],
      [['*.corp'], 'https://models.corporate', false],
      [['EXAMPLE.com'], 'https://Api.Example.COM', true],
      [['example.com:8443'], 'https://example.com:8443', true],
      [['example.com:8443'], 'https://example.com', false],
      [['example.com:443'], 'https://example.com', true],
      [['example.com:80'], 'http://example.com', true],
      [['10.1.2.3'], 'http://10.1.2.3:8080', true],
      [['0.0.1'], 'http://10.0.0.1', false],
      [['10.0.0.0/8'], 'http://10.200.3.4', true],
      [['10.0.0.0/8'], 'http://11.0.0.1', false],
      [['fd00::/8'], 'http://[fd12::1]', true],
      [['[fd12::1]:8080'], 'http://[fd12::1]:8080', true],
      [['[fd12::1]:8080'], 'http://[fd12::1]:9090', false],
      [[' a.test , b.test '], 'https://b.test', true],
      [['a.test b.test'], 'https://b.test', true],
      [['', '  '], 'https://b.test', false],
      [['https://proxyless.test/'], 'https://proxyless.test', true],
      [['xn--bcher-kva.example'], 'https://bücher.example', true],
    ];
    for (const [entries, url, expected] of cases) {
      assert.equal(bypassesProxy(url, parseNoProxy(entries), false), expected, `${JSON.stringify(entries)} vs ${url}`);
    }
  });

  it('loopback (localhost, 127.0.0.0/8, ::1, ::ffff:127.0.0.1) always goes direct, as in VS Code, unless proxyLoopback', () => {
    for (const host of ['localhost', '127.0.0.1', '127.9.8.7', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['10.0.0.1', 'localhost.example.com', '::2', 'example.com']) assert.ok(!isLoopbackHost(host), host);
    for (const url of ['http://localhost:8080', 'http://127.0.0.1:1', 'http://[::1]:9', 'http://[::ffff:127.0.0.1]:9']) {
      assert.equal(bypassesProxy(url, []), true, url);
      assert.equal(bypassesProxy(url, [], false), false, url);
    }
  });

  it('the description names the proxy and the direct hosts, never the credentials', async () => {
    const built = buildDispatcher(config({ proxy: `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@proxy.corp:3128`, noProxy: ['localhost', '*.corp'] }), {});
    try {
      assert.equal(
        built.description,
        'proxy http://proxy.corp:3128 (credentials hidden) from http.proxy; direct for: loopback (localhost, 127.0.0.0/8, ::1), localhost, *.corp',
      );
      assert.ok(!built.description.includes(PROXY_USER) && !built.description.includes('S3cret'));
    } finally {
      await built.dispatcher.close();
    }
    assert.equal(redactProxyUrl(`user:${PROXY_PASSWORD}@proxy:3128`), 'http://proxy:3128 (credentials hidden)');
    assert.equal(redactProxyUrl('http://[bad'), '<invalid proxy URL>');
  });

  it('strictSSL false is said in the description; no proxy at all is "direct"', async () => {
    const lax = buildDispatcher(config({ strictSSL: false }), {});
    const plain = buildDispatcher(config(), {});
    assert.equal(lax.description, 'direct (no proxy configured); TLS certificate verification is off (http.proxyStrictSSL: false)');
    assert.equal(plain.description, 'direct (no proxy configured)');
    await Promise.all([lax.dispatcher.close(), plain.dispatcher.close()]);
  });

  it('environment: lower case wins, HTTP_PROXY also serves https, a value without scheme is http://, http.proxy wins over all', async () => {
    const built = [
      buildDispatcher(config(), { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' }),
      buildDispatcher(config(), { HTTP_PROXY: 'u:p@plain-proxy:3128', NO_PROXY: '.corp' }),
      buildDispatcher(config({ proxy: 'http://setting:9' }), { HTTPS_PROXY: 'http://env:1' }),
    ];
    assert.equal(built[0].description, 'proxy from the environment (https → http://lower:2, http → direct); direct for: loopback (localhost, 127.0.0.0/8, ::1)');
    assert.equal(
      built[1].description,
      'proxy from the environment (https → http://plain-proxy:3128 (credentials hidden), http → http://plain-proxy:3128 (credentials hidden)); direct for: loopback (localhost, 127.0.0.0/8, ::1), .corp',
    );
    assert.match(built[2].description, /^proxy http:\/\/setting:9 from http\.proxy/);
    await Promise.all(built.map((b) => b.dispatcher.close()));
  });

  it('an unusable proxy URL is a config error that does not echo the credentials', () => {
    for (const proxy of [`ftp://${PROXY_USER}:${PROXY_PASSWORD}@proxy:21`, `http://${PROXY_USER}:${PROXY_PASSWORD}@[bad`, `socks5://${PROXY_USER}:${PROXY_PASSWORD}@proxy:1080`]) {
      assert.throws(
        () => buildDispatcher(config({ proxy }), {}),
        (error: unknown) => error instanceof OmniVideoError && error.kind === 'config' && /http\.proxy/.test(error.message) && !error.message.includes(PROXY_PASSWORD) && !error.message.includes(PROXY_USER),
        proxy,
      );
    }
    assert.throws(() => buildDispatcher(config(), { HTTPS_PROXY: 'gopher://x' }), /HTTPS_PROXY/);
  });

  it('proxyConfigKey is stable, changes with every input, and is a hash (no credentials in it)', () => {
    const base = config({ proxy: `http://${PROXY_USER}:${PROXY_PASSWORD}@p:1`, noProxy: ['a.test'] });
    const key = proxyConfigKey(base, { PATH: '/bin' });
    assert.equal(proxyConfigKey({ ...base, noProxy: ['a.test'] }, { PATH: '/usr/bin' }), key, 'unrelated variables do not count');
    assert.match(key, /^[0-9a-f]{64}$/);
    const variants: [ProxyConfig, NodeJS.ProcessEnv][] = [
      [{ ...base, proxy: 'http://p:2' }, {}],
      [{ ...base, strictSSL: false }, {}],
      [{ ...base, noProxy: ['b.test'] }, {}],
      [{ ...base, proxyAuthorization: 'Basic x' }, {}],
      [{ ...base, proxyLoopback: true }, {}],
      [base, { HTTPS_PROXY: 'http://e:1' }],
      [base, { https_proxy: 'http://e:1' }],
      [base, { HTTP_PROXY: 'http://e:1' }],
      [base, { NO_PROXY: 'x' }],
      [base, { no_proxy: 'x' }],
    ];
    const keys = new Set([key, ...variants.map(([c, e]) => proxyConfigKey(c, e))]);
    assert.equal(keys.size, variants.length + 1);
  });

  it('DispatcherCache rebuilds only when the configuration changes and closes the old dispatcher', async () => {
    let current = config();
    const descriptions: string[] = [];
    const cache = new DispatcherCache(() => current, {}, (d) => descriptions.push(d));
    const first = cache.get();
    assert.equal(cache.get(), first);
    current = config({ proxy: 'http://proxy.test:3128' });
    const second = cache.get();
    assert.notEqual(second, first);
    assert.equal(cache.get(), second);
    assert.deepEqual(descriptions, ['direct (no proxy configured)', 'proxy http://proxy.test:3128 from http.proxy; direct for: loopback (localhost, 127.0.0.0/8, ::1)']);
    await cache.dispose();
  });
});

describe('Proxy: requests through a local CONNECT proxy', () => {
  let sim: Simulator;
  let proxy: ConnectProxy;
  let authProxy: ConnectProxy;
  let otherProxy: ConnectProxy;
  let dir: string;
  let cleanup: () => Promise<void>;
  let apiHost: string;
  let storageHost: string;
  let fixture: Buffer;
  const open: Dispatcher[] = [];

  function dispatcherFor(c: ProxyConfig, env: NodeJS.ProcessEnv = {}) {
    const built = buildDispatcher(c, env);
    open.push(built.dispatcher);
    return built;
  }

  function storageAuthorizations(): number {
    return sim.requests.filter((r) => r.origin === 'storage' && r.hasAuthorization).length;
  }

  before(async () => {
    sim = await startSimulator({ queuedMs: 20, processingMs: 80 });
    proxy = await startConnectProxy();
    otherProxy = await startConnectProxy();
    authProxy = await startConnectProxy({ credentials: { username: PROXY_USER, password: PROXY_PASSWORD } });
    apiHost = new URL(sim.apiBaseUrl).host;
    storageHost = new URL(sim.storageOrigin).host;
    fixture = await readFile(LANDSCAPE_FIXTURE);
  });
  after(async () => {
    await Promise.all([sim.close(), proxy.close(), authProxy.close(), otherProxy.close()]);
  });
  beforeEach(async () => {
    sim.reset();
    proxy.reset();
    authProxy.reset();
    otherProxy.reset();
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((d) => d.close().catch(() => undefined)));
    await cleanup();
  });

  it('with http.proxy set, create → poll → download all go through the proxy, the storage origin included', async () => {
    const { dispatcher } = dispatcherFor(config({ proxy: proxy.url, proxyLoopback: true }));
    const saved = await fullRun(sim.apiBaseUrl, sim.token, dispatcher, dir);
    assert.ok(saved.equals(fixture));
    assert.deepEqual(proxy.targets(), [apiHost, storageHost].sort());
    const forwards = proxy.forwards();
    assert.ok(forwards.some((h) => h.target === apiHost && h.method === 'POST'), 'the create went through the proxy');
    assert.ok(forwards.filter((h) => h.target === apiHost && h.method === 'GET').length >= 2, 'status and /content went through the proxy');
    assert.ok(forwards.some((h) => h.target === storageHost), 'the storage download went through the proxy');
    assert.ok(forwards.filter((h) => h.target === storageHost).every((h) => !h.hasAuthorization), 'no Authorization towards storage, even via the proxy');
    assert.equal(sim.requests.length, forwards.length, 'every request the simulator saw came through the proxy');
    assert.equal(storageAuthorizations(), 0);
  });

  it('loopback targets stay direct by default even with http.proxy set (VS Code does the same)', async () => {
    const { dispatcher, description } = dispatcherFor(config({ proxy: proxy.url }));
    assert.match(description, /direct for: loopback/);
    assert.ok((await fullRun(sim.apiBaseUrl, sim.token, dispatcher, dir)).equals(fixture));
    assert.equal(proxy.hits.length, 0);
    assert.equal(storageAuthorizations(), 0);
  });

  it('a host matching http.noProxy goes direct: zero requests reach the proxy', async () => {
    for (const noProxy of [['127.0.0.1'], ['*'], ['127.0.0.0/8']]) {
      proxy.reset();
      const { dispatcher } = dispatcherFor(config({ proxy: proxy.url, proxyLoopback: true, noProxy }));
      assert.ok((await fullRun(sim.apiBaseUrl, sim.token, dispatcher, dir)).equals(fixture));
      assert.equal(proxy.hits.length, 0, JSON.stringify(noProxy));
    }
    assert.equal(storageAuthorizations(), 0);
  });

  it('noProxy routes per host and port: the storage port direct, the API through the proxy', async () => {
    const { dispatcher } = dispatcherFor(config({ proxy: proxy.url, proxyLoopback: true, noProxy: [storageHost] }));
    assert.ok((await fullRun(sim.apiBaseUrl, sim.token, dispatcher, dir)).equals(fixture));
    assert.deepEqual(proxy.targets(), [apiHost]);
    assert.ok(sim.requests.some((r) => r.origin === 'storage' && r.status === 200), 'storage was reached directly');
    assert.equal(storageAuthorizations(), 0);
  });

  it('noProxy by host name: the API as "localhost" goes direct while the storage at 127.0.0.1 goes through the proxy', async () => {
    const localBase = sim.apiBaseUrl.replace('127.0.0.1', 'localhost');
    const { dispatcher } = dispatcherFor(config({ proxy: proxy.url, proxyLoopback: true, noProxy: ['localhost'] }));
    assert.ok((await fullRun(localBase, sim.token, dispatcher, dir)).equals(fixture));
    assert.deepEqual(proxy.targets(), [storageHost]);
    const api = sim.requests.filter((r) => r.origin === 'api');
    assert.ok(api.length >= 3 && api.every((r) => String(r.headers.host).startsWith('localhost:')), 'the API was contacted directly as localhost');
    assert.equal(storageAuthorizations(), 0);
  });

  it('NO_PROXY from the environment also bypasses the http.proxy setting', async () => {
    const { dispatcher } = dispatcherFor(config({ proxy: proxy.url, proxyLoopback: true }), { NO_PROXY: `example.com,${storageHost}` });
    assert.ok((await fullRun(sim.apiBaseUrl, sim.token, dispatcher, dir)).equals(fixture));
    assert.deepEqual(proxy.targets(), [apiHost]);
  });

  it('HTTP_PROXY / http_proxy from the environment route through the proxy, NO_PROXY bypasses it', async () => {
    for (const env of [{ HTTP_PROXY: proxy.url }, { http_proxy: proxy.url }, { HTTP_PROXY: proxy.url.replace('http://', '') }]) {
      proxy.reset();
      const { dispatcher, description } = dispatcherFor(config({ proxyLoopback: true }), env);
      assert.match(description, /^proxy from the environment/);
      assert.ok((await fullRun(sim.apiBaseUrl, sim.token, dispatcher, dir)).equals(fixture));
      assert.deepEqual(proxy.targets(), [apiHost, storageHost].sort(), JSON.stringify(env));
    }
    for (const env of [{ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, { HTTP_PROXY: proxy.url, no_proxy: '*' }, { HTTP_PROXY: proxy.url, NO_PROXY: `.example.com, ${apiHost} ${storageHost}` }]) {
      proxy.reset();
      const { dispatcher } = dispatcherFor(config({ proxyLoopback: true }), env);
      assert.ok((await fullRun(sim.apiBaseUrl, sim.token, dispatcher, dir)).equals(fixture));
      assert.equal(proxy.hits.length, 0, JSON.stringify(env));
    }
    assert.equal(storageAuthorizations(), 0);
  });

  it('HTTPS_PROXY alone applies to https targets only: plain-http targets go direct', async () => {
    const { dispatcher } = dispatcherFor(config({ proxyLoopback: true }), { HTTPS_PROXY: proxy.url });
    assert.ok((await fullRun(sim.apiBaseUrl, sim.token, dispatcher, dir)).equals(fixture));
    assert.equal(proxy.hits.length, 0);
  });

  it('the http.proxy setting wins over HTTP_PROXY', async () => {
    const { dispatcher } = dispatcherFor(config({ proxy: proxy.url, proxyLoopback: true }), { HTTP_PROXY: otherProxy.url });
    await fullRun(sim.apiBaseUrl, sim.token, dispatcher, dir);
    assert.ok(proxy.hits.length >= 4);
    assert.equal(otherProxy.hits.length, 0);
  });

  it('proxy credentials go to the proxy as Proxy-Authorization and nowhere else: not in the description, logs, errors or the simulator', async () => {
    const expected = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
    const withCredentials = authProxy.url.replace('http://', `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@`);
    const logger = capturingLogger();
    const built = dispatcherFor(config({ proxy: withCredentials, proxyLoopback: true }));
    logger.info(`Network: ${built.description}`);
    assert.ok((await fullRun(sim.apiBaseUrl, sim.token, built.dispatcher, dir, logger)).equals(fixture));
    assert.deepEqual(authProxy.targets(), [apiHost, storageHost].sort());
    assert.ok(authProxy.proxyAuthorizations.length >= 4);
    assert.ok(authProxy.proxyAuthorizations.every((h) => h === expected), 'every request carried the credentials');

    const env = dispatcherFor(config({ proxyLoopback: true }), { HTTP_PROXY: withCredentials });
    logger.info(`Network: ${env.description}`);
    authProxy.reset();
    await fullRun(sim.apiBaseUrl, sim.token, env.dispatcher, dir, logger);
    assert.ok(authProxy.proxyAuthorizations.length >= 4 && authProxy.proxyAuthorizations.every((h) => h === expected), 'from HTTP_PROXY too');

    // Wrong credentials (407) and a proxy that is down: the errors do not carry the credentials either.
    const errors: string[] = [];
    const wrong = dispatcherFor(config({ proxy: authProxy.url.replace('http://', `http://${PROXY_USER}:not-${encodeURIComponent(PROXY_PASSWORD)}@`), proxyLoopback: true }));
    const down = dispatcherFor(config({ proxy: `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:1`, proxyLoopback: true }));
    for (const { dispatcher } of [wrong, down]) {
      const client = new OmniVideoClient({ baseUrl: sim.apiBaseUrl, getToken: async () => sim.token, dispatcher, logger, requestTimeoutMs: 3000 });
      await assert.rejects(client.createVideo(body), (error: unknown) => {
        assert.ok(error instanceof OmniVideoError, String(error));
        errors.push(error.message, String((error.details.cause as Error | undefined)?.message));
        return true;
      });
    }
    const everything = [...logger.lines, ...errors, built.description, env.description].join('\n');
    for (const secret of [PROXY_PASSWORD, encodeURIComponent(PROXY_PASSWORD), Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64'), PROXY_USER]) {
      assert.ok(!everything.includes(secret), `"${secret}" leaked:\n${everything}`);
    }
    assert.ok(sim.requests.every((r) => r.headers['proxy-authorization'] === undefined), 'the simulator never saw Proxy-Authorization');
    assert.equal(storageAuthorizations(), 0);
  });

  it('a proxy that refuses (407) or is down is named as the cause, and a create it stopped is not "maybe billed"', async () => {
    const wrong = dispatcherFor(config({ proxy: authProxy.url.replace('http://', `http://${PROXY_USER}:wrong@`), proxyLoopback: true }));
    const down = dispatcherFor(config({ proxy: 'http://127.0.0.1:1', proxyLoopback: true }));
    const unknownHost = dispatcherFor(config({ proxy: 'http://proxy.invalid:3128', proxyLoopback: true }));
    const cases: [Dispatcher, RegExp][] = [
      [wrong.dispatcher, /proxy refused the request to 127\.0\.0\.1:\d+ \(HTTP 407\); it was not sent\. It needs credentials/],
      [down.dispatcher, /Could not reach the proxy 127\.0\.0\.1:1 \(ECONNREFUSED\) on the way to 127\.0\.0\.1:\d+; the request was not sent/],
      [unknownHost.dispatcher, /Could not reach the proxy proxy\.invalid \(E(NOTFOUND|AI_AGAIN)\) on the way/],
    ];
    for (const [dispatcher, message] of cases) {
      const client = new OmniVideoClient({ baseUrl: sim.apiBaseUrl, getToken: async () => sim.token, dispatcher, requestTimeoutMs: 3000 });
      await assert.rejects(client.getVideo('video_x'), (error: unknown) => error instanceof OmniVideoError && error.kind === 'proxy' && message.test(error.message));
      const manager = new JobManager({ client: () => client, store: new JobStore(new MemoryStateStorage()), pollIntervalMs: () => 50 });
      try {
        const built = buildTextRequest('omni-fast', parseGenerationParams({ prompt: 'Through a broken proxy', seconds: '4', aspectRatio: '16:9' }));
        await assert.rejects(
          manager.submit({ mode: built.mode, prompt: 'Through a broken proxy', body: built.body, recordedRequest: built.recorded, outputDir: dir }),
          (error: unknown) => error instanceof OmniVideoError && error.kind === 'proxy' && !/billed/.test(error.message),
        );
      } finally {
        manager.dispose();
      }
    }
    assert.equal(sim.requests.length, 0, 'nothing reached the server');
  });

  it('http.proxyAuthorization is sent as Proxy-Authorization', async () => {
    const expected = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
    const { dispatcher, description } = dispatcherFor(config({ proxy: authProxy.url, proxyAuthorization: expected, proxyLoopback: true }));
    assert.ok(!description.includes(expected));
    await fullRun(sim.apiBaseUrl, sim.token, dispatcher, dir);
    assert.ok(authProxy.proxyAuthorizations.length >= 4 && authProxy.proxyAuthorizations.every((h) => h === expected));
  });
});

describe('Proxy: HTTPS targets through a CONNECT tunnel', function () {
  let sim: Simulator;
  let proxy: ConnectProxy;
  let front: tls.Server;
  const frontSockets = new Set<net.Socket>();
  let certDir: { dir: string; cleanup: () => Promise<void> };
  let dir: string;
  let cleanup: () => Promise<void>;
  let httpsBase: string;
  let frontHost: string;
  let storageHost: string;
  const open: Dispatcher[] = [];

  function dispatcherFor(c: ProxyConfig, env: NodeJS.ProcessEnv = {}) {
    const built = buildDispatcher(c, env);
    open.push(built.dispatcher);
    return built.dispatcher;
  }

  before(async function () {
    certDir = await tempDir('omni-video-cert-');
    try {
      await run('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', path.join(certDir.dir, 'key.pem'), '-out', path.join(certDir.dir, 'cert.pem'),
      ]);
    } catch {
      await certDir.cleanup();
      this.skip(); // no openssl: the TLS cases cannot be set up here
    }
    sim = await startSimulator({ queuedMs: 20, processingMs: 80 });
    proxy = await startConnectProxy();
    storageHost = new URL(sim.storageOrigin).host;
    // A TLS front for the simulator's API origin, with a self-signed certificate.
    const apiPort = Number(new URL(sim.apiBaseUrl).port);
    front = tls.createServer({ key: await readFile(path.join(certDir.dir, 'key.pem')), cert: await readFile(path.join(certDir.dir, 'cert.pem')) }, (socket) => {
      const upstream = net.connect(apiPort, '127.0.0.1');
      for (const s of [socket, upstream]) {
        frontSockets.add(s);
        s.on('close', () => frontSockets.delete(s));
        s.on('error', () => s.destroy());
      }
      socket.pipe(upstream).pipe(socket);
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
    });
    front.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    frontHost = `127.0.0.1:${(front.address() as net.AddressInfo).port}`;
    httpsBase = `https://${frontHost}/v1`;
  });
  after(async () => {
    if (!sim) return;
    for (const s of frontSockets) s.destroy();
    await Promise.all([sim.close(), proxy.close(), new Promise((r) => front.close(r)), certDir.cleanup()]);
  });
  beforeEach(async () => {
    sim?.reset();
    proxy?.reset();
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((d) => d.close().catch(() => undefined)));
    await cleanup();
  });

  it('a tunnel the proxy refuses (407 to CONNECT) is a proxy error, not "offline"', async () => {
    const guarded = await startConnectProxy({ credentials: { username: PROXY_USER, password: PROXY_PASSWORD } });
    try {
      const dispatcher = dispatcherFor(config({ proxy: guarded.url, strictSSL: false, proxyLoopback: true }));
      const client = new OmniVideoClient({ baseUrl: httpsBase, getToken: async () => sim.token, dispatcher, requestTimeoutMs: 3000 });
      await assert.rejects(client.getVideo('video_x'), (error: unknown) => error instanceof OmniVideoError && error.kind === 'proxy' && /HTTP 407\); it was not sent/.test(error.message));
    } finally {
      await guarded.close();
    }
  });

  it('an https API goes through a CONNECT tunnel and http storage through plain forwarding (strictSSL off for the self-signed certificate)', async () => {
    const saved = await fullRun(httpsBase, sim.token, dispatcherFor(config({ proxy: proxy.url, strictSSL: false, proxyLoopback: true })), dir);
    assert.ok(saved.equals(await readFile(LANDSCAPE_FIXTURE)));
    assert.ok(proxy.tunnels().some((h) => h.target === frontHost && h.status === 200), 'CONNECT to the https API');
    assert.ok(proxy.forwards().some((h) => h.target === storageHost), 'storage forwarded');
    assert.equal(sim.requests.filter((r) => r.origin === 'storage' && r.hasAuthorization).length, 0);
  });

  it('with strictSSL on, the tunnelled connection checks the certificate and refuses a self-signed one', async () => {
    const client = new OmniVideoClient({ baseUrl: httpsBase, getToken: async () => sim.token, dispatcher: dispatcherFor(config({ proxy: proxy.url, proxyLoopback: true })) });
    await assert.rejects(client.createVideo(body), (e: unknown) => e instanceof OmniVideoError && e.kind === 'network');
    assert.ok(proxy.tunnels().some((h) => h.target === frontHost), 'the tunnel was opened; TLS failed inside it');
    assert.equal(sim.requests.length, 0, 'nothing reached the API');
  });

  it('strictSSL applies to direct connections too (noProxy), and HTTPS_PROXY tunnels https targets', async () => {
    const strict = new OmniVideoClient({ baseUrl: httpsBase, getToken: async () => sim.token, dispatcher: dispatcherFor(config({ proxy: proxy.url, noProxy: ['127.0.0.1'], proxyLoopback: true })) });
    await assert.rejects(strict.createVideo(body), (e: unknown) => e instanceof OmniVideoError && e.kind === 'network');
    await fullRun(httpsBase, sim.token, dispatcherFor(config({ proxy: proxy.url, noProxy: ['127.0.0.1'], strictSSL: false, proxyLoopback: true })), dir);
    assert.equal(proxy.hits.length, 0);
    await fullRun(httpsBase, sim.token, dispatcherFor(config({ strictSSL: false, proxyLoopback: true }), { HTTPS_PROXY: proxy.url }), dir);
    assert.ok(proxy.tunnels().some((h) => h.target === frontHost && h.status === 200));
    assert.equal(proxy.forwards().length, 0, 'HTTPS_PROXY alone: the http storage went direct');
  });

  it('NODE_EXTRA_CA_CERTS (read by Node at start) makes the certificate trusted with strictSSL on', async function () {
    this.timeout(30_000);
    const script = path.join(dir, 'extra-ca.ts');
    const proxyModule = path.resolve(__dirname, '../../src/core/api/proxy');
    await writeFile(
      script,
      `import { buildDispatcher } from ${JSON.stringify(proxyModule)};\n` +
        `const { request } = require(require.resolve('undici', { paths: [${JSON.stringify(path.resolve(__dirname, '../..'))}] }));\n` +
        `(async () => {\n` +
        `  const { dispatcher } = buildDispatcher({ proxy: ${JSON.stringify(proxy.url)}, strictSSL: true, noProxy: [], proxyLoopback: true }, {});\n` +
        `  const res = await request(${JSON.stringify(`https://${frontHost}/_sim`)}, { dispatcher });\n` +
        `  await res.body.dump();\n` +
        `  process.stdout.write(String(res.statusCode));\n` +
        `  await dispatcher.close();\n` +
        `})().catch((e) => { process.stdout.write('error ' + e.message); process.exitCode = 1; });\n`,
    );
    const tsx = require.resolve('tsx/cjs', { paths: [path.resolve(__dirname, '../..')] });
    const { stdout } = await run(process.execPath, ['--require', tsx, script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(certDir.dir, 'cert.pem') } });
    assert.equal(stdout, '200');
    assert.ok(proxy.tunnels().some((h) => h.target === frontHost && h.status === 200));
  });
});
