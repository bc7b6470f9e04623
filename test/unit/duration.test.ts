import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { readVideoDuration } from '../../src/core/media/duration';
import { tempDir } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

describe('readVideoDuration: the length of the file, from its container', () => {
  it('reads the fixtures (3 s each, whatever the server claimed), MP4 with the moov at the end, and WebM', async () => {
    for (const name of ['sample-1280x720-h264-aac.mp4', 'codecs/h264-aac-moov-at-end.mp4', 'codecs/vp9-opus.webm']) {
      const seconds = await readVideoDuration(path.join(FIXTURES, name));
      assert.ok(seconds !== undefined && seconds > 0.5 && seconds < 4, `${name}: ${seconds}`);
    }
    assert.ok(Math.abs((await readVideoDuration(path.join(FIXTURES, 'sample-1280x720-h264-aac.mp4')))! - 3) < 0.1);
  });

  it('a WebM cut a few bytes into a header, which made the media library loop for ever, gives no duration, at once', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const cut = path.join(dir, 'cut.webm');
      await writeFile(cut, (await readFile(path.join(FIXTURES, 'codecs', 'vp8-vorbis.webm'))).subarray(0, 119));
      const started = Date.now();
      assert.equal(await readVideoDuration(cut), undefined);
      assert.ok(Date.now() - started < 5000);
    } finally {
      await cleanup();
    }
  });

  it('a missing file, an empty file and text give no duration, and never throw', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(path.join(dir, 'empty.mp4'), '');
      await writeFile(path.join(dir, 'text.mp4'), 'not a video at all\n'.repeat(100));
      for (const name of ['missing.mp4', 'empty.mp4', 'text.mp4']) assert.equal(await readVideoDuration(path.join(dir, name)), undefined, name);
    } finally {
      await cleanup();
    }
  });
});
