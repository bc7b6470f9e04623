import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import * as path from 'node:path';
import { l10n } from '../common/l10n';

/** A short, file-name-safe slug of a prompt: ASCII words, lower case, at most `max` characters. */
export function slugify(text: string, max = 40): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.length > max ? slug.slice(0, max).replace(/-[^-]*$/, '') || slug.slice(0, max) : slug;
  return cut.replace(/-+$/g, '') || 'video';
}

/** The last seven safe characters of a server id (`video_01K…3919V5P` → `3919v5p`). */
export function idTail(id: string): string {
  const safe = id.toLowerCase().replace(/[^a-z0-9]/g, '');
  return safe.slice(-7) || 'job';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `20261124-153012-ocean-waves-3919v5p` (local time). */
export function outputBaseName(createdAt: number, prompt: string, id: string): string {
  const d = new Date(createdAt);
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  return `${stamp}-${slugify(prompt)}-${idTail(id)}`;
}

/**
 * Reserves `<dir>/<base>.mp4` or, when that exists, `<base>-2.mp4`, `<base>-3.mp4`, … by creating the
 * file exclusively, so an existing file is never overwritten even by a concurrent save.
 */
export async function reserveOutputPath(dir: string, base: string, extension = '.mp4'): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const candidate = path.join(dir, `${base}${n === 1 ? '' : `-${n}`}${extension}`);
    try {
      const handle = await open(candidate, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
      await handle.close();
      return candidate;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(l10n.t('Could not find a free file name for {0} in {1}', base, dir));
}

export function sidecarPathFor(videoPath: string): string {
  return videoPath.replace(/\.[^./\\]+$/, '') + '.json';
}
