// The probe bridge, suite side: asks the runner (test/host/probe.ts), which holds the Playwright page
// of the workbench, what a user sees in the browser. Only the code-server runner provides it
// (OMNI_PROBE_URL); under the desktop runner `probe.available` is false and browser-side checks skip:
//
//   it('shows the job in the status bar', async function () {
//     skipWithoutProbe(this);
//     const items = await probe.statusBar();
//   });
import type { StatusBarItem, VideoState } from '../host/probe';
import * as vscode from 'vscode';

export type { StatusBarItem, VideoState };

/** An <img> in a webview: loaded or not, its natural size, and its pixels' brightness (mean and spread, 0–255). */
export interface ImageShown {
  /** Its position among the container's <img>s. */
  index: number;
  src: string;
  complete: boolean;
  width: number;
  height: number;
  mean: number;
  spread: number;
}

export interface WebviewText {
  frameUrl: string;
  text: string;
}

const baseUrl = process.env.OMNI_PROBE_URL?.replace(/\/+$/, '');

async function call<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
  if (!baseUrl) {
    throw new Error('the browser probe is not available (OMNI_PROBE_URL is unset: not the code-server runner)');
  }
  const res = await fetch(baseUrl + route, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`probe ${method} ${route}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!res.ok) {
    const message = (value as { error?: string } | null)?.error ?? text;
    throw new Error(`probe ${method} ${route}: HTTP ${res.status}: ${message}`);
  }
  return value as T;
}

/**
 * How long a test waits for a webview to start and show something: in code-server a webview closed while
 * it was loading holds up the next one's start for up to 30 s (docs/test-host.md).
 */
export const WEBVIEW_START_MS = 60_000;

export const probe = {
  /** True when the suite runs under the code-server runner, which answers these calls. */
  available: baseUrl !== undefined && baseUrl !== '',
  url: baseUrl,

  /** Every status bar item (`.part.statusbar .statusbar-item`), left to right. */
  statusBar: () => call<StatusBarItem[]>('GET', '/statusbar'),
  /** Every `<video>` element in every frame (webviews included). */
  videos: () => call<VideoState[]>('GET', '/videos'),
  /** The body text of every webview's content frame. */
  webviewText: () => call<WebviewText[]>('GET', '/webview-text'),
  /** The workbench's webview iframes (where they are, whether shown) and every loaded frame's URL. */
  webviewFrames: () => call<{ iframes: { className: string; rect: number[]; display: string; visibility: string; origin: string }[]; frames: string[] }>('GET', '/webview-frames'),
  /** innerText of each element of the workbench page matching a CSS selector, e.g. `.monaco-list-row`. */
  domText: (selector: string) => call<string[]>('GET', `/dom-text?selector=${encodeURIComponent(selector)}`),
  /** Saves `<runDir>/screenshots/<name>.png` (and a copy under `screenshots/tmp/`); resolves to its path. */
  screenshot: (name: string) => call<{ path: string; copy: string }>('POST', '/screenshot', { name }).then((r) => r.path),
  /** Presses a key like a user (Playwright key names: "Escape", "Enter", "ArrowDown", "Control+Shift+P"). */
  press: (key: string) => call<{ ok: true }>('POST', '/keyboard', { press: key }).then(() => undefined),
  /** Types text into whatever has focus (a quick pick, an input box). */
  type: (text: string) => call<{ ok: true }>('POST', '/type', { text }).then(() => undefined),
  /** Clicks the first element of the workbench page matching a Playwright selector (CSS, `:has-text()`). */
  click: (selector: string) => call<{ ok: true }>('POST', '/click', { selector }).then(() => undefined),
  /** Acts in the webview content frame that holds `selector` (see test/host/probe.ts). */
  webview: (selector: string, action: 'click' | 'hover' | 'fill' | 'select' | 'press' | 'drop' | 'text' | 'values' | 'boxes' | 'scroll' | 'images' | 'attributes', extra: { value?: string; uris?: string[] } = {}) =>
    call<{ ok: true; text?: string; values?: string[] }>('POST', '/webview', { selector, action, ...extra }),
  /**
   * The <img>s inside the first element matching `container` in a webview, with what they show; with
   * `loadedOnly`, only those with a source (each keeps its `index` among all); without `pixels`, their
   * brightness is not measured (it is 0).
   */
  images: (container: string, { loadedOnly = false, pixels = true } = {}) =>
    probe.webview(container, 'images', { value: [loadedOnly ? 'loaded' : '', pixels ? '' : 'no-pixels'].join(',') }).then((r) => (r.values ?? []).map((v) => JSON.parse(v) as ImageShown)),
  /** Starts, or stops and saves in the run directory, a CPU profile of the browser's renderers (diagnostics). */
  browserProfile: (action: 'start' | 'stop', name: string) => call<{ ok: true; files?: string[] }>('POST', '/browser-profile', { action, name }),
  /** Right-clicks the first match, e.g. a tree row, to open its context menu. */
  rightClick: (selector: string) => call<{ ok: true }>('POST', '/click', { selector, button: 'right' }).then(() => undefined),
  /** Hovers the first match and returns the text of the hover that appears ('' if none). */
  hover: (selector: string) => call<{ text: string }>('POST', '/hover', { selector }).then((r) => r.text),
  /**
   * Tells the runner a window reload is coming (the caller then runs `workbench.action.reloadWindow`),
   * or with `navigate: true` asks it to navigate the page to the workbench URL again (the browser's
   * reload). Either ends this extension host. index.ts does this at the end of phase 1
   * (windowReload.ts); tests call requestReload() instead.
   */
  reload: (request: { reason: string; phase1: { passed: number; failed: number; pending: number }; navigate?: boolean }) =>
    call<{ ok: true; reload: number }>('POST', '/reload', request).then((r) => r.reload),
  /** Reports the suite's counts to the runner (index.ts does this). */
  reportResult: (result: { passed: number; failed: number; pending: number }) =>
    call<{ ok: true }>('POST', '/result', result).then(() => undefined),

  /**
   * Closes every editor and waits until no webview iframe is left in the workbench. A webview opened
   * while others are still being torn down stayed blank in code-server in some runs (docs/test-host.md).
   */
  async closeAllEditors(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (probe.available) await probe.waitFor(() => probe.webviewFrames(), (f) => f.iframes.length === 0, 'every webview closed', 10_000);
  },

  /** Polls `read` until `accept` holds for its value; resolves to that value or rejects with the last one. */
  async waitFor<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 20_000, intervalMs = 250): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    let lastError: unknown;
    for (;;) {
      try {
        last = await read();
        if (accept(last)) {
          return last;
        }
      } catch (err) {
        lastError = err;
      }
      if (Date.now() >= deadline) {
        const seen = lastError && last === undefined ? String(lastError) : JSON.stringify(last)?.slice(0, 2000);
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  },
};

/** Skips the current test, with the reason in the output, when the browser probe is not available. */
export function skipWithoutProbe(ctx: Mocha.Context): void {
  if (!probe.available) {
    console.log(`      (skipped "${ctx.test?.title ?? ''}": browser-side check, needs the code-server runner's probe)`);
    ctx.skip();
  }
}
