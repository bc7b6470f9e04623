/** Finding and running `ffmpeg`, which is optional: what needs it is offered only where it is on the PATH. */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import * as path from 'node:path';
import { OmniVideoError } from '../common/errors';

/** `command` on the PATH (with PATHEXT on Windows), or undefined. */
export async function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const extension of extensions) {
      const candidate = path.join(dir, command + extension);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

let lookup: Promise<string | undefined> | undefined;

/** `ffmpeg` on the PATH, looked up once per extension host. */
export function findFfmpeg(): Promise<string | undefined> {
  return (lookup ??= findOnPath('ffmpeg'));
}

/**
 * Runs ffmpeg without a shell. A failure rejects with an OmniVideoError whose message is
 * `describe(detail)`, `detail` being the last lines ffmpeg wrote to stderr ('' when it wrote none).
 */
export function runFfmpeg(
  ffmpeg: string,
  args: readonly string[],
  options: { signal?: AbortSignal; timeoutMs: number; stderrLines?: number; describe: (detail: string) => string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(ffmpeg, args, { signal: options.signal, timeout: options.timeoutMs, windowsHide: true, maxBuffer: 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const lines = options.stderrLines ?? 2;
      const detail = String(stderr).trim().split('\n').slice(-lines).join(' ').slice(0, 100 + 100 * lines);
      reject(new OmniVideoError(options.signal?.aborted ? 'cancelled' : 'filesystem', options.describe(detail), { cause: error }));
    });
  });
}
