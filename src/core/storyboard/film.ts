/** A storyboard's film and its sidecar (docs/product.md, "Storyboards"): where they go, and what they record. */
import { readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';

/** `<…>-film.json` beside the film: each shot's title, take (relative to the sidecar), job id and start. */
export const filmSidecarSchema = z.looseObject({
  generator: z.literal('omni-video'),
  kind: z.literal('film'),
  version: z.literal(1),
  /** The storyboard, relative to the sidecar. */
  storyboard: z.string(),
  shots: z.array(z.object({ index: z.number().int().min(1), title: z.string(), video: z.string(), jobId: z.string().optional(), start: z.number().min(0) })),
  /** Seconds. */
  duration: z.number().min(0),
  /** Joined without re-encoding (packets copied), or re-encoded with ffmpeg. */
  method: z.enum(['copy', 'ffmpeg']),
  createdAt: z.string(),
});
export type FilmSidecar = z.infer<typeof filmSidecarSchema>;

/** `<outputDir>/<storyboard-stem>-film.mp4` and its sidecar. */
export function filmPathsFor(boardPath: string, outputDir: string): { film: string; sidecar: string } {
  const stem = path.basename(boardPath, path.extname(boardPath));
  return { film: path.join(outputDir, `${stem}-film.mp4`), sidecar: path.join(outputDir, `${stem}-film.json`) };
}

/** The sidecar path of a film file (`x-film.mp4` → `x-film.json`). */
export const filmSidecarPathOf = (film: string) => film.replace(/\.[^./\\]+$/, '') + '.json';

export async function readFilmSidecar(file: string): Promise<FilmSidecar | undefined> {
  try {
    const parsed = filmSidecarSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeFilmSidecar(file: string, sidecar: FilmSidecar): Promise<void> {
  const temporary = `${file}.${process.pid}.part`;
  await writeFile(temporary, JSON.stringify(sidecar, null, 2) + '\n', 'utf8');
  await rename(temporary, file);
}

/** Whether the film is no longer made of the shots' chosen takes (absolute paths, in shot order). */
export function filmOutOfDate(sidecar: FilmSidecar, sidecarPath: string, chosenTakes: readonly (string | undefined)[]): boolean {
  const takes = sidecar.shots.map((shot) => path.resolve(path.dirname(sidecarPath), shot.video));
  return takes.length !== chosenTakes.length || takes.some((take, i) => take !== chosenTakes[i]);
}
