import * as path from 'node:path';

/** Languages whose documents get a `<video>` element (the Markdown preview and browsers play it). */
const VIDEO_ELEMENT_LANGUAGES = new Set(['markdown', 'html', 'mdx']);

/**
 * The reference to a video for a document at `documentPath`: relative to the document's folder, with
 * forward slashes. Markdown and HTML get a `<video>` element with a URL-encoded `src`; other files the
 * plain relative path. `pathApi` is `path.win32` or `path.posix` in tests; the platform's by default.
 */
export function videoReference(videoPath: string, documentPath: string, languageId: string, pathApi: path.PlatformPath = path): string {
  const relative = pathApi.relative(pathApi.dirname(documentPath), videoPath).split(pathApi.sep).join('/');
  if (!VIDEO_ELEMENT_LANGUAGES.has(languageId)) return relative;
  const src = relative
    .split('/')
    .map((segment) => (segment === '..' ? segment : encodeURIComponent(segment)))
    .join('/');
  return `<video src="${src}" controls></video>`;
}
