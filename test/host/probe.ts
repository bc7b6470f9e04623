// The probe bridge, runner side: a tiny loopback HTTP/JSON server through which the integration
// suite (running inside the extension host) asks the runner's Playwright page what a user SEES in
// the browser. Client: test/integration/probe.ts. URL passed to the extension host as OMNI_PROBE_URL.
//
//   GET  /health                     {ok}
//   GET  /statusbar                  [{id, text, ariaLabel, tooltip?, visible}]  every .part.statusbar .statusbar-item
//   GET  /videos                     [{frameUrl, src, readyState, currentTime, duration, paused, ended,
//                                      videoWidth, videoHeight, error, muted}]   every <video> in every frame
//   GET  /webview-text               [{frameUrl, text}]  body text of each webview content frame
//   GET  /webview-frames             {iframes: [{className, rect, display, visibility, origin}], frames: [url]}
//                                    the workbench's webview iframes and every frame loaded (diagnostics)
//   GET  /dom-text?selector=CSS      [text]  innerText of each main-page element matching CSS
//   POST /screenshot {name}          {path}  <runDir>/screenshots/<name>.png (+ copy in <repo>/screenshots/tmp/)
//   POST /keyboard {press}           {ok}    page.keyboard.press (e.g. "Escape", "Enter", "Control+Shift+P")
//   POST /type {text}                {ok}    page.keyboard.type
//   POST /click {selector, button?}  {ok}    clicks (button 'right': right-clicks) the first match in the main page
//   POST /hover {selector}           {text}  hovers the first match, returns the hover widget's text ('' if none)
//   POST /webview {selector, action, value?, uris?}  {ok, text?, values?}  in the webview content frame
//                                    holding `selector`: click, hover, fill (value), select (value), press
//                                    (value: a key), drop (uris: a text/uri-list DataTransfer dropped on
//                                    it), or read its innerText (text) / the values of every match (values)
//                                    / the <img>s inside the first match (value 'loaded': those with a
//                                    src), with their position, size and brightness ('no-pixels': not
//                                    measured) (images) / an attribute (value: its name) of every match
//                                    (attributes)
//   POST /browser-profile {action: start|stop, name}  {ok, files?}  a CPU profile of the workbench page
//                                    (and of each webview frame in a process of its own), saved on stop
//   POST /result {passed, failed, pending}   the suite's counts (also printed as OMNI_TEST_RESULT)
//   POST /reload {reason, phase1?, navigate?}  {ok, reload}  a window reload is coming: the runner
//                                    expects the page to load again (the caller runs Developer:
//                                    Reload Window) or, with navigate: true, navigates it to the
//                                    workbench URL again itself (the browser's reload). The extension
//                                    host that asked goes away and the tests module runs again in a
//                                    new one (test/integration/windowReload.ts). `reload` counts from 1.
//
// Errors answer {error} with status 400 (bad request), 404 (unknown route) or 500.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { CDPSession, Frame, Page } from 'playwright-core';
import type { SuiteResult } from './common';

export interface ProbeServerOptions {
  /** The workbench page, once it exists. */
  getPage(): Page | undefined;
  runDir: string;
  repoRoot: string;
  onResult?(result: SuiteResult): void;
  /**
   * Expects the workbench page to reload, or with `navigate` reloads it after the answer has been
   * sent; returns the reload's number. Throws when the runner cannot or will not.
   */
  onReload?(request: { reason: string; phase1?: SuiteResult; navigate: boolean }): number;
}

export interface ProbeServer {
  url: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const ACTION_TIMEOUT_MS = 15_000;

export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const server = http.createServer((req, res) => {
    void handle(options, req)
      .then((body) => send(res, 200, body))
      .catch((err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        send(res, status, { error: err instanceof Error ? err.message : String(err) });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) {
      throw new HttpError(400, 'request body too large');
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) {
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // fall through
  }
  throw new HttpError(400, 'body must be a JSON object');
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') {
    throw new HttpError(400, `"${name}" must be a non-empty string`);
  }
  return value;
}

async function handle(options: ProbeServerOptions, req: http.IncomingMessage): Promise<unknown> {
  const url = new URL(req.url ?? '/', 'http://probe');
  const route = `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '') || '/'}`;

  if (route === 'GET /health') {
    return { ok: true, page: options.getPage() !== undefined };
  }
  if (route === 'POST /result') {
    const body = await readJson(req);
    const result: SuiteResult = { passed: Number(body.passed), failed: Number(body.failed), pending: Number(body.pending ?? 0) };
    if (!Number.isFinite(result.passed) || !Number.isFinite(result.failed)) {
      throw new HttpError(400, 'passed and failed must be numbers');
    }
    options.onResult?.(result);
    return { ok: true };
  }
  if (route === 'POST /reload') {
    const body = await readJson(req);
    if (!options.onReload) {
      throw new HttpError(501, 'this runner cannot reload the window');
    }
    const reason = stringField(body, 'reason');
    const phase1 = body.phase1 as Partial<SuiteResult> | undefined;
    const counts =
      phase1 && typeof phase1.passed === 'number' && typeof phase1.failed === 'number'
        ? { passed: phase1.passed, failed: phase1.failed, pending: Number(phase1.pending ?? 0) }
        : undefined;
    try {
      return { ok: true, reload: options.onReload({ reason, phase1: counts, navigate: body.navigate === true }) };
    } catch (err) {
      throw new HttpError(409, err instanceof Error ? err.message : String(err));
    }
  }

  const page = options.getPage();
  if (!page || page.isClosed()) {
    throw new HttpError(503, 'the workbench page is not open');
  }

  switch (route) {
    case 'GET /statusbar':
      return statusBar(page);
    case 'GET /videos':
      return videos(page);
    case 'GET /webview-text':
      return webviewText(page);
    case 'GET /webview-frames':
      return {
        iframes: await page.locator('iframe.webview').evaluateAll((els) =>
          els.map((el) => {
            const r = el.getBoundingClientRect();
            const view = el.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { display: string; visibility: string } };
            const style = view.getComputedStyle(el);
            const src = (el as unknown as { src?: string }).src;
            return { className: el.className, rect: [r.x, r.y, r.width, r.height].map(Math.round), display: style.display, visibility: style.visibility, origin: src ? new URL(src).origin : '' };
          }),
        ),
        frames: page.frames().map((frame) => frame.url().slice(0, 160)),
      };
    case 'GET /dom-text': {
      const selector = url.searchParams.get('selector');
      if (!selector) {
        throw new HttpError(400, 'query parameter "selector" is required');
      }
      // A locator, unlike $$eval, reaches into open shadow roots (context menus render in one).
      return page.locator(selector).evaluateAll((els) => els.map((el) => String((el as { innerText?: string }).innerText ?? el.textContent ?? '').trim()));
    }
    case 'POST /screenshot': {
      const body = await readJson(req);
      return screenshot(page, options, stringField(body, 'name'));
    }
    case 'POST /keyboard': {
      const body = await readJson(req);
      await page.keyboard.press(stringField(body, 'press'));
      return { ok: true };
    }
    case 'POST /type': {
      const body = await readJson(req);
      const text = body.text;
      if (typeof text !== 'string') {
        throw new HttpError(400, '"text" must be a string');
      }
      await page.keyboard.type(text);
      return { ok: true };
    }
    case 'POST /click': {
      const body = await readJson(req);
      const button = body.button === 'right' ? 'right' : 'left';
      await page.locator(stringField(body, 'selector')).first().click({ button, timeout: ACTION_TIMEOUT_MS });
      return { ok: true };
    }
    case 'POST /webview': {
      const body = await readJson(req);
      return webviewAction(page, stringField(body, 'selector'), stringField(body, 'action'), body.value, body.uris);
    }
    case 'POST /browser-profile': {
      const body = await readJson(req);
      return browserProfile(page, options, stringField(body, 'action'), stringField(body, 'name'));
    }
    case 'POST /hover': {
      const body = await readJson(req);
      return { text: await hoverText(page, stringField(body, 'selector')) };
    }
    default:
      throw new HttpError(404, `no such probe endpoint: ${route}`);
  }
}

export interface StatusBarItem {
  id: string;
  text: string;
  ariaLabel: string;
  tooltip?: string;
  visible: boolean;
}

function statusBar(page: Page): Promise<StatusBarItem[]> {
  return page.$$eval('.part.statusbar .statusbar-item', (els) =>
    els.map((el) => {
      const labelled = el.getAttribute('aria-label') ? el : el.querySelector('[aria-label]');
      const titled = el.getAttribute('title') ? el : el.querySelector('[title]');
      const item: { id: string; text: string; ariaLabel: string; tooltip?: string; visible: boolean } = {
        id: el.id,
        text: String(el.innerText ?? '').replace(/\s+/g, ' ').trim(),
        ariaLabel: labelled?.getAttribute('aria-label') ?? '',
        visible: el.getClientRects().length > 0,
      };
      const title = titled?.getAttribute('title');
      if (title) {
        item.tooltip = title;
      }
      return item;
    }),
  );
}

export interface VideoState {
  frameUrl: string;
  src: string;
  readyState: number;
  currentTime: number;
  duration: number | null;
  paused: boolean;
  ended: boolean;
  videoWidth: number;
  videoHeight: number;
  error: number | null;
  muted: boolean;
}

async function videos(page: Page): Promise<VideoState[]> {
  const all: VideoState[] = [];
  for (const frame of page.frames()) {
    let found: Omit<VideoState, 'frameUrl'>[] = [];
    try {
      found = await frame.$$eval('video', (els) =>
        els.map((v) => ({
          src: String(v.currentSrc || v.src || ''),
          readyState: Number(v.readyState),
          currentTime: Number(v.currentTime),
          duration: Number.isFinite(v.duration) ? Number(v.duration) : null,
          paused: Boolean(v.paused),
          ended: Boolean(v.ended),
          videoWidth: Number(v.videoWidth),
          videoHeight: Number(v.videoHeight),
          error: v.error ? Number(v.error.code) : null,
          muted: Boolean(v.muted),
        })),
      );
    } catch {
      continue; // the frame went away meanwhile
    }
    all.push(...found.map((v) => ({ frameUrl: frame.url(), ...v })));
  }
  return all;
}

/**
 * VS Code hosts a webview in an iframe loading `.../webview/browser/pre/index.html`, which nests the
 * frame holding the extension's HTML (`fake.html`). The content frame is the one we want.
 */
function isWebviewContentFrame(frame: Frame): boolean {
  const parent = frame.parentFrame();
  return (
    /\/webview\/browser\/pre\/fake\.html/.test(frame.url()) ||
    (parent !== null && /\/webview\/browser\/pre\/index\.html/.test(parent.url()))
  );
}

async function webviewText(page: Page): Promise<{ frameUrl: string; text: string }[]> {
  const result: { frameUrl: string; text: string }[] = [];
  for (const frame of page.frames().filter(isWebviewContentFrame)) {
    try {
      const text = await frame.$eval('body', (body) => String(body.innerText ?? '').trim());
      result.push({ frameUrl: frame.url(), text });
    } catch {
      // no body yet, or the frame went away
    }
  }
  return result;
}

/** The webview content frame in which `selector` matches, waiting up to the action timeout. */
async function webviewFrameWith(page: Page, selector: string): Promise<Frame> {
  const deadline = Date.now() + ACTION_TIMEOUT_MS;
  for (;;) {
    for (const frame of page.frames().filter(isWebviewContentFrame)) {
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() > deadline) throw new HttpError(500, `no webview holds ${selector}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function webviewAction(page: Page, selector: string, action: string, value: unknown, uris: unknown): Promise<{ ok: true; text?: string; values?: string[] }> {
  const frame = await webviewFrameWith(page, selector);
  const target = frame.locator(selector).first();
  const options = { timeout: ACTION_TIMEOUT_MS };
  switch (action) {
    case 'click':
      await target.click(options);
      return { ok: true };
    case 'hover':
      await target.hover(options);
      return { ok: true };
    case 'fill':
      await target.fill(String(value ?? ''), options);
      return { ok: true };
    case 'select':
      await target.selectOption(String(value ?? ''), options);
      return { ok: true };
    case 'press':
      await target.press(String(value ?? ''), options);
      return { ok: true };
    case 'text':
      return { ok: true, text: (await target.innerText(options)).trim() };
    case 'scroll':
      // Scrolls the last matching element into view (the end of a long list).
      await frame.locator(selector).last().scrollIntoViewIfNeeded(options);
      return { ok: true };
    case 'images':
      // Every <img> inside the first match, each as JSON: whether it has loaded, its natural size, and
      // the mean and spread of its pixels' brightness (0–255; a blank picture has no spread).
      return {
        ok: true,
        values: await target.evaluate((container, { loadedOnly, pixels }) => {
          const doc = (container as unknown as { ownerDocument: { createElement(tag: string): unknown } }).ownerDocument;
          type Img = { currentSrc: string; complete: boolean; naturalWidth: number; naturalHeight: number; getAttribute(name: string): string | null };
          const images = (container as unknown as { querySelectorAll(selector: string): Iterable<Img> }).querySelectorAll('img');
          return [...images].flatMap((img, index) => {
            if (loadedOnly && !img.getAttribute('src')) return [];
            let mean = 0;
            let spread = 0;
            if (pixels && img.complete && img.naturalWidth > 0) {
              const canvas = doc.createElement('canvas') as { width: number; height: number; getContext(type: string): { drawImage(image: unknown, x: number, y: number, w: number, h: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
              canvas.width = 64;
              canvas.height = 36;
              const context = canvas.getContext('2d');
              context.drawImage(img, 0, 0, 64, 36);
              const data = context.getImageData(0, 0, 64, 36).data;
              const values: number[] = [];
              for (let i = 0; i < data.length; i += 4) values.push(0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]);
              mean = values.reduce((sum, v) => sum + v, 0) / values.length;
              spread = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
            }
            return [JSON.stringify({ index, src: img.getAttribute('src') ?? '', complete: img.complete, width: img.naturalWidth, height: img.naturalHeight, mean, spread })];
          });
        }, { loadedOnly: String(value ?? '').includes('loaded'), pixels: !String(value ?? '').includes('no-pixels') }),
      };
    case 'attributes':
      return { ok: true, values: await frame.locator(selector).evaluateAll((els, name) => els.map((el) => el.getAttribute(name) ?? ''), String(value ?? '')) };
    case 'values':
      return { ok: true, values: await frame.locator(selector).evaluateAll((els) => els.map((el) => String((el as { value?: string }).value ?? el.textContent ?? ''))) };
    case 'boxes': {
      // Where each matching element is on the page, as "top,left,width,height" in CSS pixels.
      const boxes = await frame.locator(selector).evaluateAll((els) =>
        els.map((el) => {
          const r = (el as unknown as { getBoundingClientRect(): { top: number; left: number; width: number; height: number } }).getBoundingClientRect();
          return [r.top, r.left, r.width, r.height].map((n) => Math.round(n)).join(',');
        }),
      );
      return { ok: true, values: boxes };
    }
    case 'drop': {
      if (!Array.isArray(uris) || uris.some((u) => typeof u !== 'string')) throw new HttpError(400, '"uris" must be a list of strings');
      // What VS Code's drag from the Explorer delivers: a text/uri-list, through dragenter/dragover/drop.
      await target.evaluate((element, list) => {
        // Runs in the browser (this file is compiled without the DOM library).
        const browser = globalThis as unknown as {
          DataTransfer: new () => { setData(type: string, value: string): void };
          DragEvent: new (type: string, init: object) => unknown;
        };
        const data = new browser.DataTransfer();
        data.setData('text/uri-list', list.join('\r\n'));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          (element as unknown as { dispatchEvent(event: unknown): boolean }).dispatchEvent(new browser.DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
        }
      }, uris as string[]);
      return { ok: true };
    }
    default:
      throw new HttpError(400, `unknown webview action ${action}`);
  }
}

/** The CPU profiles being taken of the workbench page and of each webview frame in a process of its own. */
let profiling: { session: CDPSession; label: string }[] = [];
let tracing: { session: CDPSession; events: unknown[] } | undefined;

/**
 * Starts, or stops and saves, a CPU profile of the browser: the workbench page's renderer, and each
 * webview frame that runs in another process (`<runDir>/<name>.browser[-<frame>].cpuprofile`).
 */
async function browserProfile(page: Page, options: ProbeServerOptions, action: string, name: string): Promise<{ ok: true; files?: string[] }> {
  if (action === 'start') {
    const targets: { target: Page | Frame; label: string }[] = [{ target: page, label: 'workbench' }];
    page.frames().filter(isWebviewContentFrame).forEach((frame, i) => targets.push({ target: frame, label: `webview${i}` }));
    profiling = [];
    for (const { target, label } of targets) {
      // A frame in the page's own process has no session of its own: the page's profile covers it.
      const session = await page.context().newCDPSession(target).catch(() => undefined);
      if (!session) continue;
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: 200 });
      await session.send('Profiler.start');
      profiling.push({ session, label });
    }
    // And a trace of the renderers' main threads: what the native "(program)" time of a profile is.
    const session = await page.context().newCDPSession(page);
    const events: unknown[] = [];
    session.on('Tracing.dataCollected', (data) => events.push(...(data as { value: unknown[] }).value));
    await session.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink,loading,v8.execute,toplevel', transferMode: 'ReportEvents' });
    tracing = { session, events };
    return { ok: true, files: [...profiling.map((p) => p.label), 'trace'] };
  }
  const files: string[] = [];
  if (tracing) {
    const { session, events } = tracing;
    const done = new Promise<void>((resolve) => session.once('Tracing.tracingComplete', () => resolve()));
    await session.send('Tracing.end');
    await done;
    const file = path.join(options.runDir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.browser.trace.json`);
    fs.writeFileSync(file, JSON.stringify({ traceEvents: events }));
    files.push(file);
    await session.detach().catch(() => undefined);
    tracing = undefined;
  }
  for (const { session, label } of profiling) {
    const { profile } = await session.send('Profiler.stop');
    const file = path.join(options.runDir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.browser-${label}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    files.push(file);
    await session.detach().catch(() => undefined);
  }
  profiling = [];
  return { ok: true, files };
}

async function screenshot(page: Page, options: ProbeServerOptions, name: string): Promise<{ path: string; copy: string }> {
  const safe = name.replace(/\.png$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'screenshot';
  const file = path.join(options.runDir, 'screenshots', `${safe}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  const copy = path.join(options.repoRoot, 'screenshots', 'tmp', `${safe}.png`);
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  fs.copyFileSync(file, copy);
  return { path: file, copy };
}

async function hoverText(page: Page, selector: string): Promise<string> {
  await page.locator(selector).first().hover({ timeout: ACTION_TIMEOUT_MS });
  const hover = page.locator('.workbench-hover, .monaco-hover:not(.hidden)').first();
  try {
    await hover.waitFor({ state: 'visible', timeout: 5_000 });
  } catch {
    return '';
  }
  return (await hover.innerText()).trim();
}
