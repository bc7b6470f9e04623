import * as path from 'node:path';
import { parseChpl } from '../../src/core/media/filmAssembly';
import * as mb from 'mediabunny';
import { FIXTURES_DIR } from '../simulator/server';

/** A clip of test/fixtures/codecs (make-fixtures.sh). */
export const codecFixture = (name: string) => path.join(FIXTURES_DIR, 'codecs', name);

/** Packets per track, the duration of each track, and the chapters, read back with mediabunny's whole package. */
export async function inspectFilm(file: string) {
  const input = new mb.Input({ source: new mb.FilePathSource(file), formats: mb.ALL_FORMATS });
  try {
    const count = async (track: InstanceType<typeof mb.InputTrack> | null) => {
      if (!track) return 0;
      let n = 0;
      for await (const _packet of new mb.EncodedPacketSink(track).packets(undefined, undefined, { metadataOnly: true })) n++;
      return n;
    };
    const video = await input.getPrimaryVideoTrack();
    const audio = await input.getPrimaryAudioTrack();
    const tags = await input.getMetadataTags();
    const chpl = tags.raw?.chpl;
    return {
      videoPackets: await count(video),
      audioPackets: await count(audio),
      videoDuration: await input.computeDuration(video ? [video] : []),
      chapters: chpl instanceof Uint8Array ? parseChpl(chpl) : [],
    };
  } finally {
    input.dispose();
  }
}
