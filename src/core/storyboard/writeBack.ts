/**
 * The written-back video line of a shot: the edit that makes `<video src="…" controls></video>` the
 * shot's last non-blank line, or replaces its existing video line. Pure: it computes edits, the
 * feature applies them as a WorkspaceEdit. The user's own lines are never changed, moved or removed.
 */
import { videoReference } from '../common/documentReference';
import { parseStoryboard } from './parser';

/** Replace the lines `[startLine, endLine)` by `text` (with `endLine === startLine`, insert before `startLine`). */
export interface LineEdit {
  startLine: number;
  endLine: number;
  /** The new lines, with the document's line breaks. */
  text: string;
}

/**
 * The edit that makes the video at `videoPath` the chosen take of shot `index` in the storyboard at
 * `boardPath` whose text is `text`; undefined when it already is (so applying it twice changes nothing).
 */
export function chooseTakeEdit(text: string, boardPath: string, index: number, videoPath: string): LineEdit | undefined {
  const board = parseStoryboard(text);
  const shot = board.shots.find((s) => s.index === index);
  if (!shot) return undefined;
  const lines = text.split(/\r?\n/);
  const line = videoReference(videoPath, boardPath, 'markdown');
  if (shot.video) {
    if (lines[shot.video.line].trim() === line) return undefined;
    return { startLine: shot.video.line, endLine: shot.video.line + 1, text: line + board.eol };
  }
  let last = shot.endLine;
  while (last > shot.headingLine && lines[last].trim() === '') last--;
  // The shot ends the file without a final line break: the line break goes before the video line.
  if (last === lines.length - 1) return { startLine: last + 1, endLine: last + 1, text: board.eol + line };
  return { startLine: last + 1, endLine: last + 1, text: line + board.eol };
}

/**
 * The edits that make each `[index, videoPath]` the chosen take of its shot, all computed from `text`
 * and applied together (one WorkspaceEdit): a later take of the same shot wins. The shots' lines do not
 * overlap, so neither do the edits; they are in document order.
 */
export function chooseTakesEdits(text: string, boardPath: string, takes: Iterable<readonly [number, string]>): LineEdit[] {
  const latest = new Map(takes);
  const edits = [...latest].flatMap(([index, video]) => chooseTakeEdit(text, boardPath, index, video) ?? []);
  return edits.sort((a, b) => a.startLine - b.startLine);
}

/** Applies LineEdits computed from the same text, as one WorkspaceEdit does (tests). */
export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  return [...edits].sort((a, b) => b.startLine - a.startLine).reduce(applyLineEdit, text);
}

/** Applies a LineEdit to text, as the WorkspaceEdit does (tests). */
export function applyLineEdit(text: string, edit: LineEdit): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const at = (line: number) => (line < starts.length ? starts[line] : text.length);
  return text.slice(0, at(edit.startLine)) + edit.text + text.slice(at(edit.endLine));
}
