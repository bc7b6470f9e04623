import * as vscode from 'vscode';

const SECRET_KEY = 'omniVideo.apiKey';
const HAD_KEY = 'omniVideo.apiKeyWasStored';
export const API_KEY_ENV = 'OMNI_VIDEO_API_KEY';

/**
 * The API key lives in SecretStorage only (never in settings). `OMNI_VIDEO_API_KEY` from the
 * environment is a fallback for dev containers and hosts whose secret storage does not persist.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /**
   * The stored key, read once until it changes (in this window or another): every request asks for
   * it, and each read of the secret storage is a round trip to the window (500 jobs polled, 500 reads).
   */
  private stored: Promise<string | undefined> | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly globalState: vscode.Memento,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key !== SECRET_KEY) return;
      this.stored = undefined;
      this.changed.fire();
    });
  }

  async get(): Promise<string | undefined> {
    const read = (this.stored ??= Promise.resolve(this.secrets.get(SECRET_KEY)).then((value) => value?.trim()));
    // A failed read is not kept: the next request reads again.
    const stored = await read.catch((error: unknown) => {
      if (this.stored === read) this.stored = undefined;
      throw error;
    });
    return stored || process.env[API_KEY_ENV]?.trim() || undefined;
  }

  async set(key: string): Promise<void> {
    this.stored = undefined;
    await this.secrets.store(SECRET_KEY, key.trim());
    this.stored = undefined;
    await this.globalState.update(HAD_KEY, true);
  }

  async clear(): Promise<void> {
    this.stored = undefined;
    await this.secrets.delete(SECRET_KEY);
    this.stored = undefined;
    await this.globalState.update(HAD_KEY, false);
  }

  /**
   * Keeps the context key `omniVideo.hasApiKey` up to date (the jobs view's welcome text and the
   * walkthrough's first step use it). Checked once now, without delaying activation, and on change.
   */
  publishContextKey(): vscode.Disposable {
    const publish = () => void this.get().then((key) => vscode.commands.executeCommand('setContext', 'omniVideo.hasApiKey', key !== undefined));
    publish();
    return this.onDidChange(publish);
  }

  /** A key was stored before but is gone now: the host's secret storage probably did not persist it. */
  async wasLost(): Promise<boolean> {
    return this.globalState.get<boolean>(HAD_KEY, false) && !(await this.secrets.get(SECRET_KEY));
  }

  /**
   * Returns the key, asking for it when there is none. Resolves undefined only when the user cancels.
   */
  async ensure(): Promise<string | undefined> {
    const existing = await this.get();
    if (existing) return existing;
    return this.prompt(await this.wasLost());
  }

  /** Asks for a key and stores it. */
  async prompt(lost = false, reason?: string): Promise<string | undefined> {
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Omni Video: Set API Key'),
      prompt:
        reason ??
        (lost
          ? vscode.l10n.t(
              'Your API key is no longer stored. This happens when this system has no keyring service, so VS Code keeps secrets in memory only. Enter it again, or set the environment variable {0}.',
              API_KEY_ENV,
            )
          : vscode.l10n.t('Enter your omni-fast API token. It is kept in VS Code\'s secret storage, never in settings.')),
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'sk-…',
      validateInput: (text) => validateApiKey(text),
    });
    if (value === undefined) return undefined;
    await this.set(value);
    return value.trim();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function validateApiKey(text: string): string | undefined {
  const key = text.trim();
  if (!key) return vscode.l10n.t('The key is empty.');
  if (/\s/.test(key)) return vscode.l10n.t('The key must not contain spaces or line breaks.');
  if (key.length < 8) return vscode.l10n.t('This is too short to be an API key.');
  return undefined;
}
