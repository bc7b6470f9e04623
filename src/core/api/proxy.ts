/**
 * The undici dispatcher for the API client, from VS Code's proxy settings and the proxy environment:
 * which proxy, which hosts go direct, and why undici needs this (docs/decisions.md, "Proxies").
 */
import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Dispatcher } from 'undici';
import { undici } from './undiciLoader';
import { OmniVideoError } from '../common/errors';
import { l10n } from '../common/l10n';
import { isLoopbackHost } from '../common/network';

export interface ProxyConfig {
  /** VS Code's `http.proxy` (empty or undefined: not set). */
  proxy?: string;
  /** VS Code's `http.proxyStrictSSL` (default true). */
  strictSSL: boolean;
  /** VS Code's `http.noProxy`. */
  noProxy: string[];
  /** VS Code's `http.proxyAuthorization`: the `Proxy-Authorization` value; wins over credentials in the URL. */
  proxyAuthorization?: string;
  /** Send loopback targets through the proxy too. Only for tests: VS Code never proxies loopback. */
  proxyLoopback?: boolean;
}

export interface BuiltDispatcher {
  dispatcher: Dispatcher;
  /** For the log: which proxy (credentials hidden) and which hosts go direct. */
  description: string;
}

const ENV_KEYS = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'] as const;

/** Builds the dispatcher for `config` and `env`; throws an OmniVideoError('config') for an unusable proxy URL. */
export function buildDispatcher(config: ProxyConfig, env: NodeJS.ProcessEnv = process.env): BuiltDispatcher {
  const tls = config.strictSSL ? undefined : { rejectUnauthorized: false };
  const agentOptions = tls ? { connect: tls } : {};
  const tlsNote = config.strictSSL ? '' : '; TLS certificate verification is off (http.proxyStrictSSL: false)';
  const envNoProxy = firstDefined(env.no_proxy, env.NO_PROXY) ?? '';
  const loopbackDirect = !config.proxyLoopback;

  const settingProxy = config.proxy?.trim();
  if (settingProxy) {
    const url = parseProxyUrl(settingProxy, l10n.t('the setting http.proxy'));
    const rules = parseNoProxy([...config.noProxy, envNoProxy]);
    const direct = new (undici().Agent)(agentOptions);
    const proxied = new (undici().ProxyAgent)({
      uri: url.href,
      token: config.proxyAuthorization?.trim() || undefined,
      proxyTunnel: false, // plain-http targets as absolute-URI requests; https targets are always tunnelled
      ...(tls ? { requestTls: tls, proxyTls: tls } : {}),
    });
    const description = `proxy ${redactProxyUrl(url.href)} from http.proxy; direct for: ${describeDirect(rules, loopbackDirect)}${tlsNote}`;
    return { dispatcher: new (routingDispatcherClass())(direct, proxied, (origin) => bypasses(origin, rules, loopbackDirect)), description };
  }

  const httpsProxy = firstDefined(env.https_proxy, env.HTTPS_PROXY)?.trim();
  const httpProxy = firstDefined(env.http_proxy, env.HTTP_PROXY)?.trim();
  if (httpsProxy || httpProxy) {
    const https = httpsProxy ? parseProxyUrl(httpsProxy, l10n.t('the environment variable HTTPS_PROXY')) : undefined;
    const http = httpProxy ? parseProxyUrl(httpProxy, l10n.t('the environment variable HTTP_PROXY')) : undefined;
    const rules = parseNoProxy([envNoProxy]);
    const direct = new (undici().Agent)(agentOptions);
    const proxied = new (undici().EnvHttpProxyAgent)({
      // Passed explicitly (an empty string means "none") so that `env`, not process.env, decides.
      httpProxy: http?.href ?? '',
      httpsProxy: https?.href ?? '',
      noProxy: envNoProxy,
      proxyTunnel: false,
      ...(tls ? { connect: tls, requestTls: tls, proxyTls: tls } : {}),
    });
    const via = [
      `https → ${https ? redactProxyUrl(https.href) : http ? redactProxyUrl(http.href) : 'direct'}`,
      `http → ${http ? redactProxyUrl(http.href) : 'direct'}`,
    ].join(', ');
    const description = `proxy from the environment (${via}); direct for: ${describeDirect(rules, loopbackDirect)}${tlsNote}`;
    return { dispatcher: new (routingDispatcherClass())(direct, proxied, (origin) => bypasses(origin, rules, loopbackDirect)), description };
  }

  return { dispatcher: new (undici().Agent)(agentOptions), description: `direct (no proxy configured)${tlsNote}` };
}

/**
 * A stable fingerprint of everything `buildDispatcher` reads: rebuild the dispatcher when it changes.
 * It is a hash, so it can be compared or logged without exposing proxy credentials.
 */
export function proxyConfigKey(config: ProxyConfig, env: NodeJS.ProcessEnv = process.env): string {
  const material = JSON.stringify([
    config.proxy?.trim() ?? '',
    config.strictSSL,
    config.noProxy.map((entry) => entry.trim().toLowerCase()),
    config.proxyAuthorization?.trim() ?? '',
    !!config.proxyLoopback,
    ENV_KEYS.map((key) => env[key] ?? null),
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/**
 * Keeps one dispatcher and replaces it when the configuration changes (the old one is closed
 * gracefully: requests already running on it finish).
 */
export class DispatcherCache {
  private current: { key: string; built: BuiltDispatcher } | undefined;

  constructor(
    private readonly read: () => ProxyConfig,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly onRebuilt?: (description: string) => void,
  ) {}

  /** The dispatcher for the configuration as it is now. */
  get(): Dispatcher {
    const config = this.read();
    const key = proxyConfigKey(config, this.env);
    if (this.current?.key !== key) {
      const built = buildDispatcher(config, this.env);
      const previous = this.current;
      this.current = { key, built };
      void previous?.built.dispatcher.close().catch(() => undefined);
      this.onRebuilt?.(built.description);
    }
    return this.current.built.dispatcher;
  }

  async dispose(): Promise<void> {
    const previous = this.current;
    this.current = undefined;
    await previous?.built.dispatcher.close().catch(() => undefined);
  }
}

/** `http://user:pass@proxy:3128/` → `http://proxy:3128 (credentials hidden)`; never echoes an unparsable value. */
export function redactProxyUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(withScheme(value.trim()));
  } catch {
    return '<invalid proxy URL>';
  }
  const hidden = url.username || url.password ? ' (credentials hidden)' : '';
  return `${url.protocol}//${url.host}${hidden}`;
}

/** One parsed `noProxy` entry; `text` is the entry as written (trimmed, lower case), for the log. */
export type NoProxyRule = { text: string } & (
  | { kind: 'all' }
  | { kind: 'host'; host: string; port?: number }
  | { kind: 'ip'; address: string; port?: number }
  | { kind: 'cidr'; list: BlockList }
);

/** Parses `http.noProxy` entries and `NO_PROXY` values (each may hold several comma/space separated entries). */
export function parseNoProxy(values: readonly string[]): NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const value of values) {
    for (const raw of value.split(/[\s,]+/)) {
      const rule = parseNoProxyEntry(raw);
      if (rule) rules.push(rule);
    }
  }
  return rules;
}

function parseNoProxyEntry(raw: string): NoProxyRule | undefined {
  const text = raw.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/\/+$/, '');
  let entry = text;
  if (!entry) return undefined;
  if (entry === '*') return { kind: 'all', text };
  const cidr = /^([0-9a-f.:]+)\/(\d{1,3})$/.exec(entry);
  if (cidr) {
    const family = isIP(cidr[1]);
    const prefix = Number(cidr[2]);
    if (!family || prefix > (family === 4 ? 32 : 128)) return undefined;
    const list = new BlockList();
    list.addSubnet(cidr[1], prefix, family === 4 ? 'ipv4' : 'ipv6');
    return { kind: 'cidr', text, list };
  }
  let port: number | undefined;
  const bracketed = /^\[([0-9a-f.:]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) {
    entry = bracketed[1];
    port = bracketed[2] ? Number(bracketed[2]) : undefined;
  } else if (!isIP(entry)) {
    const withPort = /^(.+):(\d+)$/.exec(entry);
    if (withPort) {
      entry = withPort[1];
      port = Number(withPort[2]);
    }
  }
  if (isIP(entry)) return { kind: 'ip', address: entry, port, text };
  const bare = entry.replace(/^\*?\.+/, '').replace(/\.$/, '');
  if (!bare || /[\s/\\@*:[\]]/.test(bare)) return undefined;
  let host: string;
  try {
    host = new URL(`http://${bare}`).hostname; // punycode, as URL.hostname is
  } catch {
    return undefined;
  }
  return { kind: 'host', host, port, text };
}

/** Whether a request to `origin` goes direct under `rules` (and the loopback rule). */
export function bypassesProxy(origin: string | URL, rules: readonly NoProxyRule[], loopbackDirect = true): boolean {
  let url: URL;
  try {
    url = typeof origin === 'string' ? new URL(origin) : origin;
  } catch {
    return false;
  }
  return bypasses(url, rules, loopbackDirect);
}

function bypasses(url: URL, rules: readonly NoProxyRule[], loopbackDirect: boolean): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (loopbackDirect && isLoopbackHost(host)) return true;
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const family = isIP(host);
  for (const rule of rules) {
    switch (rule.kind) {
      case 'all':
        return true;
      case 'cidr':
        if (family && rule.list.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
        break;
      case 'ip':
        if (family && sameAddress(host, rule.address) && (rule.port === undefined || rule.port === port)) return true;
        break;
      case 'host':
        if ((host === rule.host || host.endsWith(`.${rule.host}`)) && (rule.port === undefined || rule.port === port)) return true;
        break;
    }
  }
  return false;
}

function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const family = isIP(a);
  if (family !== isIP(b)) return false;
  const list = new BlockList();
  list.addAddress(b, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(a, family === 4 ? 'ipv4' : 'ipv6');
}

function describeDirect(rules: readonly NoProxyRule[], loopbackDirect: boolean): string {
  const names = [...new Set([...(loopbackDirect ? ['loopback (localhost, 127.0.0.0/8, ::1)'] : []), ...rules.map((rule) => rule.text)])];
  if (!names.length) return 'nothing';
  return names.length > 12 ? `${names.slice(0, 12).join(', ')} and ${names.length - 12} more` : names.join(', ');
}

function parseProxyUrl(value: string, where: string): URL {
  let url: URL;
  try {
    url = new URL(withScheme(value));
  } catch {
    throw new OmniVideoError('config', l10n.t('The proxy in {0} is not a valid URL. Use http://host:port or https://host:port.', where));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OmniVideoError('config', l10n.t('The proxy in {0} uses {1}; only http:// and https:// proxies are supported.', where, url.protocol));
  }
  if (!url.hostname) {
    throw new OmniVideoError('config', l10n.t('The proxy in {0} has no host. Use http://host:port or https://host:port.', where));
  }
  return url;
}

/** `proxy:3128` and `user:pass@proxy:3128` mean `http://…` (curl's reading of the variables). */
function withScheme(value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
}

function firstDefined(...values: (string | undefined)[]): string | undefined {
  return values.find((value) => value !== undefined);
}

type RoutingDispatcherClass = new (direct: Dispatcher, proxied: Dispatcher, goesDirect: (origin: URL) => boolean) => Dispatcher;
let routingDispatcher: RoutingDispatcherClass | undefined;

/** Defined on first use: its base class comes from undici, which loads lazily. */
function routingDispatcherClass(): RoutingDispatcherClass {
  return (routingDispatcher ??= defineRoutingDispatcher(undici().Dispatcher));
}

function defineRoutingDispatcher(Base: typeof Dispatcher): RoutingDispatcherClass {
  /** Sends each request to the direct or the proxied dispatcher by its origin; closing it closes both. */
  return class RoutingDispatcher extends Base {
    constructor(
      private readonly direct: Dispatcher,
      private readonly proxied: Dispatcher,
      private readonly goesDirect: (origin: URL) => boolean,
    ) {
      super();
      // Pass the children's events on, so that whoever waits for 'drain' on this dispatcher gets it.
      const self = this as unknown as NodeJS.EventEmitter;
      for (const child of [direct, proxied] as unknown as NodeJS.EventEmitter[]) {
        for (const event of ['connect', 'disconnect', 'connectionError', 'drain']) {
          child.on(event, (...args: unknown[]) => self.emit(event, ...args));
        }
      }
    }

    override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      return this.route(options.origin).dispatch(options, handler);
    }

    override close(callback: () => void): void;
    override close(): Promise<void>;
    override close(callback?: () => void): Promise<void> | void {
      const closing = Promise.all([this.direct.close(), this.proxied.close()]).then(() => undefined);
      if (!callback) return closing;
      closing.then(callback, callback);
    }

    override destroy(err: Error | null, callback: () => void): void;
    override destroy(callback: () => void): void;
    override destroy(err: Error | null): Promise<void>;
    override destroy(): Promise<void>;
    override destroy(errOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
      const err = typeof errOrCallback === 'function' ? null : (errOrCallback ?? null);
      const done = typeof errOrCallback === 'function' ? errOrCallback : callback;
      const destroying = Promise.all([this.direct.destroy(err), this.proxied.destroy(err)]).then(() => undefined);
      if (!done) return destroying;
      destroying.then(done, done);
    }

    private route(origin: Dispatcher.DispatchOptions['origin']): Dispatcher {
      let url: URL;
      try {
        url = origin instanceof URL ? origin : new URL(String(origin));
      } catch {
        return this.proxied; // let undici report the bad origin
      }
      return this.goesDirect(url) ? this.direct : this.proxied;
    }
  }
}
