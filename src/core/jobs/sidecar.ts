import { readFile, stat, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import * as path from 'node:path';
import { shotTagSchema, type JobRecord } from './jobModel';
import { sidecarPathFor } from './outputNaming';

/** The JSON saved beside every MP4, enough to reproduce it. Read back with the same schema. */
export const sidecarSchema = z.looseObject({
  generator: z.literal('omni-video'),
  version: z.literal(1),
  id: z.string(),
  mode: z.string(),
  prompt: z.string(),
  request: z.record(z.string(), z.unknown()),
  job: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  savedAt: z.string(),
  video: z.string(),
  /** A take of a storyboard's shot: the board (relative to the video's folder), the shot's number and title. */
  storyboard: shotTagSchema.optional(),
  /** What was measured of the saved file: its duration in seconds, from its container. */
  measured: z.looseObject({ duration: z.number().positive().optional() }).optional(),
});
export type Sidecar = z.infer<typeof sidecarSchema>;

const DATA_URI = /^data:[^,]*,/;

/** Drops anything that must not be written to disk: data URIs are replaced by a short description. */
export function scrubForDisk(value: unknown): unknown {
  if (typeof value === 'string') return DATA_URI.test(value) ? `${value.slice(0, value.indexOf(','))},<omitted>` : value;
  if (Array.isArray(value)) return value.map(scrubForDisk);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrubForDisk(inner)]));
  }
  return value;
}

export function buildSidecar(job: JobRecord, videoFileName: string, savedAt: number): Sidecar {
  return {
    generator: 'omni-video',
    version: 1,
    id: job.id,
    mode: job.mode,
    prompt: job.prompt,
    request: scrubForDisk(job.request) as Record<string, unknown>,
    job: scrubForDisk(job.serverJob ?? {}) as Record<string, unknown>,
    createdAt: new Date(job.createdAt).toISOString(),
    savedAt: new Date(savedAt).toISOString(),
    video: videoFileName,
    ...(job.duration ? { measured: { duration: job.duration } } : {}),
    ...(job.storyboard ? { storyboard: { ...job.storyboard, file: path.relative(job.outputDir, job.storyboard.file).split(path.sep).join('/') } } : {}),
  };
}

export async function writeSidecar(videoPath: string, sidecar: Sidecar): Promise<string> {
  const file = sidecarPathFor(videoPath);
  await writeFile(file, JSON.stringify(sidecar, null, 2) + '\n', 'utf8');
  return file;
}

/** Reads the sidecar of a video, or undefined when there is none or it does not parse. */
export function readSidecar(videoPath: string): Promise<Sidecar | undefined> {
  return readSidecarFile(sidecarPathFor(videoPath));
}

async function readSidecarFile(sidecarPath: string): Promise<Sidecar | undefined> {
  try {
    const parsed = sidecarSchema.safeParse(JSON.parse(await readFile(sidecarPath, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Sidecars already read, by the sidecar's path, with the modification time they were read at. */
export type SidecarCache = Map<string, { mtimeMs: number; sidecar: Sidecar | undefined }>;

/**
 * The sidecar at `sidecarPath`, read and parsed again only when its modification time changed since
 * `cache` had it: the gallery's rescans and a storyboard's lenses look at every sidecar of a folder
 * that may hold a thousand.
 */
export async function readSidecarCached(sidecarPath: string, cache: SidecarCache): Promise<Sidecar | undefined> {
  const mtimeMs = await stat(sidecarPath).then((st) => st.mtimeMs, () => -1);
  const known = cache.get(sidecarPath);
  if (known && known.mtimeMs === mtimeMs) return known.sidecar;
  const sidecar = mtimeMs < 0 ? undefined : await readSidecarFile(sidecarPath);
  cache.set(sidecarPath, { mtimeMs, sidecar });
  return sidecar;
}
