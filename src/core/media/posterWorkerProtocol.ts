/**
 * What crosses between the extension host (posterReader.ts) and the thread that reads gallery posters
 * (posterWorker.ts). Both sides check what they receive with these schemas.
 */
import { z } from 'zod';

/** To the worker: read the poster packets of one file. */
export const toPosterWorkerSchema = z.object({ id: z.number().int().nonnegative(), file: z.string().min(1), keyOnly: z.boolean() });
export type ToPosterWorker = z.infer<typeof toPosterWorkerSchema>;

const posterPacketSchema = z.object({
  key: z.boolean(),
  timestamp: z.number().finite(),
  duration: z.number().finite().nonnegative(),
  data: z.instanceof(Uint8Array),
});

/** PosterFrames (posterFrames.ts), checked. */
export const posterFramesSchema = z.object({
  codec: z.string().min(1).max(200),
  description: z.instanceof(Uint8Array).optional(),
  codedWidth: z.number().int().positive(),
  codedHeight: z.number().int().positive(),
  colorSpace: z.object({ primaries: z.string().optional(), transfer: z.string().optional(), matrix: z.string().optional(), fullRange: z.boolean().optional() }).optional(),
  displayWidth: z.number().positive(),
  displayHeight: z.number().positive(),
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  flip: z.boolean(),
  packets: z.array(posterPacketSchema).min(1),
  target: z.number().finite(),
  partial: z.boolean(),
});

/** From the worker: the poster of request `id`, or null when the file has none to read. */
export const fromPosterWorkerSchema = z.object({ id: z.number().int().nonnegative(), poster: posterFramesSchema.nullable() });
export type FromPosterWorker = z.infer<typeof fromPosterWorkerSchema>;
