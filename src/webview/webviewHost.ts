import * as vscode from 'vscode';
import type { z } from 'zod';
import { OmniVideoError } from '../core/common/errors';
import type { Logger } from '../core/common/logger';
import { webviewHtml, type WebviewPage } from './webviewHtml';

/** What a webview page may send: a discriminated union with `{ type: 'ready' }` among its members. */
type PageMessage = { type: string };

export interface WebviewHostConfig<FromPage extends PageMessage> {
  /** How the log names this webview ("the preview of clip.mp4"). */
  name: string;
  page: WebviewPage;
  /** Every message from the page is parsed with it: a webview is untrusted. */
  schema: z.ZodType<FromPage>;
  logger: Logger;
}

/**
 * The one lifecycle of every Omni Video webview: load watchdog, zod-checked messages, the latest state
 * sent again on every `ready`, not ready while hidden, disposal with the panel (docs/how-to-add-a-webview.md).
 */
export abstract class WebviewHost<FromPage extends PageMessage, ToPage> implements vscode.Disposable {
  /** The hosts not disposed yet, for `counts()`. */
  private static readonly live = new Set<WebviewHost<PageMessage, unknown>>();

  /** How many webview hosts are alive and how many disposables they hold (a leak would grow them). */
  static counts(): { webviewHosts: number; webviewDisposables: number } {
    return { webviewHosts: WebviewHost.live.size, webviewDisposables: [...WebviewHost.live].reduce((sum, host) => sum + host.disposables.length, 0) };
  }

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;
  private readyWaiters: (() => void)[] = [];
  private latest: ToPage | undefined;
  protected readonly logger: Logger;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly extensionUri: vscode.Uri,
    private readonly config: WebviewHostConfig<FromPage>,
  ) {
    this.logger = config.logger;
    WebviewHost.live.add(this as WebviewHost<PageMessage, unknown>);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon-video.svg');
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this._register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  /** Disposed with the panel. */
  protected _register<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.disposables.push(disposable);
    return disposable;
  }

  /** Loads the page, and again while it has not said ready (see `loadUntilReady`). */
  protected load(): void {
    this._register(
      loadUntilReady(
        () => (this.panel.webview.html = webviewHtml(this.panel.webview, this.extensionUri, this.config.page)),
        () => this.ready,
        () => this.panel.visible,
        (attempt) => this.config.logger.warn(`${this.config.name} did not start; loading it again (${attempt}).`),
      ),
    );
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Resolves once the page has said ready; rejects after `timeoutMs` with `timeoutMessage`. */
  whenReady(timeoutMs: number, timeoutMessage: () => string): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new OmniVideoError('timeout', timeoutMessage())), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The state last posted: what the page shows, or will show once it says ready. */
  protected get latestState(): ToPage | undefined {
    return this.latest;
  }

  /** Keeps `message` as the page's state and sends it now if the page is ready (else on `ready`). */
  protected postState(message: ToPage): void {
    if (this.disposed) return; // an async render may finish after its panel closed
    this.latest = message;
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  /** Sends a one-off message (not kept); false when the page is not ready to receive it, or is closed. */
  protected send(message: ToPage): Thenable<boolean> {
    return this.ready && !this.disposed ? this.panel.webview.postMessage(message) : Promise.resolve(false);
  }

  /** True once the panel has closed. */
  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** A message from the page other than `ready`, already checked against the schema. */
  protected abstract onMessage(message: FromPage): void | Promise<void>;

  /** Called after the page said ready and got the latest state. */
  protected onReady(): void {}

  private async receive(raw: unknown): Promise<void> {
    const parsed = this.config.schema.safeParse(raw);
    if (!parsed.success) {
      this.config.logger.warn(`Ignoring a malformed message from ${this.config.name}.`);
      return;
    }
    if (parsed.data.type !== 'ready') return this.onMessage(parsed.data);
    this.ready = true;
    if (this.latest !== undefined) void this.panel.webview.postMessage(this.latest);
    for (const waiter of this.readyWaiters.splice(0)) waiter();
    this.onReady();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    WebviewHost.live.delete(this as WebviewHost<PageMessage, unknown>);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

/**
 * Loads a webview's page, and loads it again while its script has not said "ready" and it is visible,
 * after 8, 16 and 32 s; `onRetry` is told of each (docs/decisions.md, "Webviews that never start").
 */
export function loadUntilReady(load: () => void, isReady: () => boolean, isVisible: () => boolean, onRetry: (attempt: number) => void, tries = 3, firstWaitMs = 8000): vscode.Disposable {
  load();
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    if (isReady() || attempt >= tries) return;
    attempt++; // a hidden webview's check counts too: no timer keeps running for a page never shown
    if (isVisible()) {
      onRetry(attempt);
      load();
    }
    timer = setTimeout(check, firstWaitMs * 2 ** attempt);
  };
  timer = setTimeout(check, firstWaitMs);
  return { dispose: () => clearTimeout(timer) };
}
