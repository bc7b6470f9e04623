/**
 * A tiny forward proxy on loopback for the proxy tests: `CONNECT host:port` tunnels (piped to the target
 * socket) and plain-HTTP forwarding of absolute-URI requests (`GET http://host:port/path`). It counts
 * both per target, records every `Proxy-Authorization` it receives, can require credentials (407
 * otherwise), and closes cleanly (open sockets are destroyed).
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ProxyHit {
  kind: 'tunnel' | 'forward';
  /** `host:port` of the target (brackets kept for IPv6). */
  target: string;
  /** The request line's target: `host:port` for CONNECT, the absolute URL for a forward. */
  url: string;
  method: string;
  proxyAuthorization?: string;
  /** 407 when refused for missing or wrong credentials, 502 when the target was unreachable. */
  status: number;
  /** Whether a forwarded request carried an `Authorization` header (tunnels: unknown, undefined). */
  hasAuthorization?: boolean;
}

export interface ConnectProxyOptions {
  /** When set, requests without exactly `Basic base64(username:password)` get 407. */
  credentials?: { username: string; password: string };
}

export interface ConnectProxy {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  hits: ProxyHit[];
  /** Every `Proxy-Authorization` value received, in order. */
  proxyAuthorizations: string[];
  /** Distinct `host:port` targets that were tunnelled or forwarded to successfully. */
  targets(): string[];
  tunnels(): ProxyHit[];
  forwards(): ProxyHit[];
  reset(): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const hits: ProxyHit[] = [];
  const proxyAuthorizations: string[] = [];
  const sockets = new Set<net.Socket>();
  const expected = options.credentials
    ? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`
    : undefined;

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const authorize = (req: http.IncomingMessage): { header?: string; ok: boolean } => {
    const header = req.headers['proxy-authorization'];
    if (header !== undefined) proxyAuthorizations.push(header);
    return { header, ok: expected === undefined || header === expected };
  };

  const server = http.createServer((req, res) => {
    const { header, ok } = authorize(req);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
      if (target.protocol !== 'http:') throw new Error('not http');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('This proxy forwards absolute http:// URLs only.');
      return;
    }
    const hit: ProxyHit = {
      kind: 'forward',
      target: target.host,
      url: target.href,
      method: req.method ?? 'GET',
      proxyAuthorization: header,
      status: 0,
      hasAuthorization: req.headers.authorization !== undefined,
    };
    hits.push(hit);
    if (!ok) {
      hit.status = 407;
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"', 'content-type': 'text/plain' }).end('Proxy authentication required');
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name.toLowerCase()) && value !== undefined) headers[name] = value;
    }
    const upstream = http.request(
      { host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port || 80, method: req.method, path: `${target.pathname}${target.search}`, headers, agent: false },
      (answer) => {
        hit.status = answer.statusCode ?? 0;
        const back: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (!HOP_BY_HOP.has(name.toLowerCase()) && value !== undefined) back[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, back);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', () => {
      if (hit.status === 0) hit.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway');
      else res.destroy();
    });
    req.pipe(upstream);
  });

  server.on('connection', track);
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const { header, ok } = authorize(req);
    const hit: ProxyHit = { kind: 'tunnel', target: req.url ?? '', url: req.url ?? '', method: 'CONNECT', proxyAuthorization: header, status: 0 };
    hits.push(hit);
    if (!ok) {
      hit.status = 407;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    let host: string;
    let port: number;
    try {
      const parsed = new URL(`http://${req.url}`);
      host = parsed.hostname.replace(/^\[|\]$/g, '');
      port = Number(parsed.port) || 443;
    } catch {
      hit.status = 400;
      client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, host);
    track(upstream);
    upstream.once('connect', () => {
      hit.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.once('error', () => {
      if (hit.status === 0) {
        hit.status = 502;
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      } else {
        client.destroy();
      }
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    proxyAuthorizations,
    targets: () => [...new Set(hits.filter((hit) => hit.status !== 407 && hit.status !== 502 && hit.status !== 400).map((hit) => hit.target))].sort(),
    tunnels: () => hits.filter((hit) => hit.kind === 'tunnel'),
    forwards: () => hits.filter((hit) => hit.kind === 'forward'),
    reset: () => {
      hits.length = 0;
      proxyAuthorizations.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        sockets.clear();
      }),
  };
}
