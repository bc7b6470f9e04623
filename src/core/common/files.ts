import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import * as path from 'node:path';
import { l10n } from './l10n';

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
