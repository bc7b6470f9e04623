/**
 * What dist/mediabunny.js holds: the parts of mediabunny this extension uses (reading MP4, QuickTime,
 * Matroska and WebM; writing MP4 from packets), not its whole index, which also holds the other
 * containers (MPEG-TS, Ogg, HLS, FLAC, WAVE…), encoders and conversion. The extension host compiles
 * the bundle in one piece the first time a duration is read: 44 ms for the whole package against
 * 20 ms for these parts (docs/decisions.md, "Libraries in part"). esbuild bundles this file as
 * dist/mediabunny.js and drops what it does not export (mediabunny's modules have no side effects);
 * mediabunnyLoader.ts loads it on first use.
 */
export {
  BufferSource,
  CustomSource,
  EncodedAudioPacketSource,
  EncodedPacketSink,
  EncodedVideoPacketSource,
  FilePathSource,
  FilePathTarget,
  Input,
  LogLevel,
  Logging,
  MATROSKA,
  MP4,
  Mp4OutputFormat,
  Output,
  QTFF,
  WEBM,
} from 'mediabunny';
