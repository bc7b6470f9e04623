/** The logging surface core code writes to; the extension backs it with a LogOutputChannel. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Shortens data URIs (`data:image/png;base64,AAAA…` → `data:image/png;base64,<12 KB>`) for logs. */
export function redactDataUris(text: string): string {
  return text.replace(/data:([\w.+/-]+);base64,[A-Za-z0-9+/=]+/g, (match, mime: string) => {
    const payload = match.length - match.indexOf(',') - 1;
    return `data:${mime};base64,<${formatBytes(Math.floor((payload * 3) / 4))}>`;
  });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
