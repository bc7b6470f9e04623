/** How video containers start: the one place the sniffer, the codec reader and the download check read it. */

/** The EBML magic number that starts a WebM or Matroska file. */
export const EBML_MAGIC = 0x1a45dfa3;

/** Top-level boxes a QuickTime file older than the `ftyp` box may start with. */
export const LEGACY_QUICKTIME_FIRST_BOXES: ReadonlySet<string> = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/** Every top-level box an ISO BMFF file (MP4, MOV) may start with, segments and extensions included. */
export const ISO_BMFF_FIRST_BOXES: ReadonlySet<string> = new Set(['ftyp', ...LEGACY_QUICKTIME_FIRST_BOXES, 'uuid', 'styp', 'sidx', 'junk', 'pdin']);

/** Whether the first 12 bytes of a file are those of an MP4 or MOV (an `ftyp` box or an old QuickTime start). */
export function startsLikeMp4(head: Buffer): boolean {
  if (head.length < 12) return false;
  const box = head.toString('latin1', 4, 8);
  return box === 'ftyp' || LEGACY_QUICKTIME_FIRST_BOXES.has(box);
}
