/**
 * A storyboard: a Markdown shot list (docs/product.md, "Storyboards"). Text in, shots out; pure, so the
 * rules are tested in plain Node. Lines are counted from 0, as VS Code counts them.
 */
import { z } from 'zod';
import { ASPECT_RATIOS, MAX_PROMPT_CHARS, RESOLUTIONS, SECONDS } from '../api/schemas';
import { l10n } from '../common/l10n';

export interface ShotImage {
  alt: string;
  /** As written, relative to the storyboard file. */
  path: string;
  line: number;
}

export interface Shot {
  /** 1-based, in document order. */
  index: number;
  title: string;
  /** The `##` heading's line; the shot runs to the line before the next `##` heading (or the end). */
  headingLine: number;
  endLine: number;
  /** The prose: paragraphs and list items, each on a line of its own. */
  prompt: string;
  images: ShotImage[];
  /** The written-back `<video src=…>` line: the shot's chosen take. */
  video?: { line: number; src: string };
  /** Why this shot cannot be sent as it is (never sent while there is one). */
  problems: string[];
}

export interface BoardSettings {
  seconds?: (typeof SECONDS)[number];
  aspectRatio?: (typeof ASPECT_RATIOS)[number];
  resolution?: (typeof RESOLUTIONS)[number];
  chain: boolean;
}

export interface Storyboard {
  /** The front matter says `omniVideo: storyboard`. */
  isStoryboard: boolean;
  /** The `#` heading, if any. */
  title?: string;
  /** Where the board's own lenses go: the `#` heading's line, else the first line after the front matter. */
  headLine: number;
  settings: BoardSettings;
  /** Front matter values that are not valid (they are ignored and said). */
  problems: string[];
  shots: Shot[];
  /** The line ending the file uses, for edits. */
  eol: '\n' | '\r\n';
}

/** The `<video …>` line of a shot, as written back (any attribute order, quotes either way). */
export const VIDEO_LINE = /^\s*<video\b[^>]*\bsrc\s*=\s*(["'])([^"']*)\1[^>]*>\s*(<\/video>)?\s*$/i;
const IMAGE = /!\[([^\]]*)\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+/;

const frontMatterSchema = z.object({
  omniVideo: z.string().optional(),
  seconds: z.enum(SECONDS).optional(),
  aspectRatio: z.enum(ASPECT_RATIOS).optional(),
  resolution: z.enum(RESOLUTIONS).optional(),
  chain: z.boolean().optional(),
});

export function parseStoryboard(text: string): Storyboard {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const { values, bodyStart } = readFrontMatter(lines);
  const problems: string[] = [];
  const settings: BoardSettings = { chain: true };
  for (const [key, value] of Object.entries(values)) {
    const parsed = frontMatterSchema.shape[key as keyof typeof frontMatterSchema.shape]?.safeParse(value);
    if (!parsed) continue; // other tools' keys are theirs
    if (!parsed.success) problems.push(l10n.t('The front matter value {0}: {1} is not valid, so it is ignored.', key, JSON.stringify(value)));
    else if (key !== 'omniVideo') Object.assign(settings, { [key]: parsed.data });
  }
  const board: Storyboard = { isStoryboard: values.omniVideo === 'storyboard', settings, problems, shots: [], eol, headLine: Math.min(bodyStart, lines.length - 1) };

  let fence: string | undefined;
  let comment = false;
  let shot: (Shot & { prose: string[]; paragraph: string[] }) | undefined;
  const endParagraph = () => {
    if (shot?.paragraph.length) shot.prose.push(shot.paragraph.join(' '));
    if (shot) shot.paragraph = [];
  };
  const finish = (endLine: number) => {
    if (!shot) return;
    endParagraph();
    shot.endLine = endLine;
    shot.prompt = shot.prose.join('\n');
    shot.problems = shotProblems(shot);
    const { prose: _prose, paragraph: _paragraph, ...done } = shot;
    board.shots.push(done);
  };
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i];
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length && line.trim() === fenceMark) fence = undefined;
      continue;
    }
    if (fenceMark) {
      fence = fenceMark;
      endParagraph();
      continue;
    }
    // HTML comments, on one line or several, are not prose.
    let rest = line;
    if (comment) {
      const close = rest.indexOf('-->');
      if (close < 0) continue;
      comment = false;
      rest = rest.slice(close + 3);
    }
    rest = rest.replace(/<!--.*?-->/g, '');
    const open = rest.indexOf('<!--');
    if (open >= 0) {
      comment = true;
      rest = rest.slice(0, open);
    }
    const heading = HEADING.exec(rest);
    if (heading && heading[1].length === 1 && board.title === undefined && !shot) {
      board.title = heading[2];
      board.headLine = i;
      continue;
    }
    if (heading && heading[1].length === 2) {
      finish(i - 1);
      shot = { index: board.shots.length + 1, title: heading[2], headingLine: i, endLine: i, prompt: '', images: [], problems: [], prose: [], paragraph: [] };
      continue;
    }
    if (!shot) continue;
    const video = VIDEO_LINE.exec(rest);
    if (video) {
      shot.video = { line: i, src: video[2] };
      endParagraph();
      continue;
    }
    for (const image of rest.matchAll(IMAGE)) shot.images.push({ alt: image[1], path: image[2].replace(/^<|>$/g, ''), line: i });
    const prose = rest.replace(IMAGE, '').trim();
    if (!prose || heading) {
      endParagraph();
      continue;
    }
    if (LIST_ITEM.test(prose)) {
      endParagraph();
      shot.paragraph.push(prose.replace(LIST_ITEM, ''));
      endParagraph();
    } else {
      shot.paragraph.push(prose);
    }
  }
  finish(lastContentLine(lines));
  return board;
}

/** What stops a shot from being sent, before any file is looked at (missing files are the caller's). */
function shotProblems(shot: Shot): string[] {
  const problems: string[] = [];
  if (!shot.prompt.trim()) problems.push(l10n.t('This shot has no prose to use as its prompt.'));
  const length = Array.from(shot.prompt).length;
  if (length > MAX_PROMPT_CHARS) problems.push(l10n.t('The prompt is {0} characters long; at most {1} are accepted.', length, MAX_PROMPT_CHARS));
  if (shot.images.length > 2) problems.push(l10n.t('A shot takes one image (its first frame) or two (first and last frame); this one has {0}.', shot.images.length));
  return problems;
}

/** `key: value` lines between `---` lines at the very start; values are YAML scalars (quoted or not). */
function readFrontMatter(lines: string[]): { values: Record<string, unknown>; bodyStart: number } {
  if (lines[0]?.trim() !== '---') return { values: {}, bodyStart: 0 };
  const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end < 0) return { values: {}, bodyStart: 0 };
  const values: Record<string, unknown> = {};
  for (const line of lines.slice(1, end)) {
    const match = /^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (match) values[match[1]] = scalar(match[2]);
  }
  return { values, bodyStart: end + 1 };
}

function scalar(text: string): unknown {
  const unquoted = /^"(.*)"$|^'(.*)'$/.exec(text);
  if (unquoted) return unquoted[1] ?? unquoted[2];
  const bare = text.replace(/\s+#.*$/, '');
  if (/^(true|yes|on)$/i.test(bare)) return true;
  if (/^(false|no|off)$/i.test(bare)) return false;
  return bare;
}

function lastContentLine(lines: string[]): number {
  let last = lines.length - 1;
  while (last > 0 && lines[last].trim() === '') last--;
  return last;
}
