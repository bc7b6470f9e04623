import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { OmniVideoError } from '../../src/core/common/errors';
import { assembleFilm, chplBox, compareClips, parseChpl, readClipParameters } from '../../src/core/media/filmAssembly';
import { LANDSCAPE_FIXTURE, PORTRAIT_FIXTURE } from '../simulator/server';
import { codecFixture, inspectFilm } from './films';
import { tempDir } from './helpers';

describe('Film assembly: takes joined without re-encoding', function () {
  this.timeout(60_000);
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  for (const [name, clip, count] of [
    ['two 3 s H.264 + AAC clips', LANDSCAPE_FIXTURE, 2],
    ['three 1 s H.264 + AAC clips', codecFixture('h264-aac.mp4'), 3],
    ['three clips without sound', codecFixture('h264-noaudio.mp4'), 3],
  ] as const) {
    it(`${name}: the frames are the sums, the duration is the sum within one frame, one chapter per clip at its start`, async () => {
      const one = await inspectFilm(clip);
      const titles = ['Dawn', 'Open sea', '黎明'].slice(0, count);
      const film = path.join(dir, 'harbour-film.mp4');
      const assembled = await assembleFilm(titles.map((title) => ({ path: clip, title })), film);
      const joined = await inspectFilm(film);
      assert.equal(joined.videoPackets, one.videoPackets * count, 'every video frame, once');
      // Each clip after the first loses its audio priming frame, which lies before its start.
      assert.equal(joined.audioPackets, one.audioPackets ? one.audioPackets * count - (count - 1) : 0);
      assert.ok(Math.abs(joined.videoDuration - one.videoDuration * count) < 1 / 24, `${joined.videoDuration} vs ${one.videoDuration} × ${count}`);
      assert.deepEqual(assembled.starts, titles.map((_, i) => one.videoDuration * i));
      assert.deepEqual(joined.chapters.map((c) => c.title), titles);
      joined.chapters.forEach((c, i) => assert.ok(Math.abs(c.start - assembled.starts[i]) < 1e-6, `chapter ${i + 1} starts at ${c.start}`));
      assert.deepEqual(readdirSync(dir), ['harbour-film.mp4'], 'no temporary file is left');
    });
  }

  it('clips that differ are refused, named one by one, and nothing is written', async () => {
    const film = path.join(dir, 'film.mp4');
    await assert.rejects(
      assembleFilm([{ path: LANDSCAPE_FIXTURE, title: 'Wide' }, { path: PORTRAIT_FIXTURE, title: 'Tall' }, { path: codecFixture('hevc-aac.mp4'), title: 'HEVC' }], film),
      (error: unknown) => {
        assert.ok(error instanceof OmniVideoError && error.kind === 'badRequest');
        assert.match(error.message, /clip 2 \(Tall\): 720×1280 instead of 1280×720/);
        assert.match(error.message, /clip 3 \(HEVC\): video codec hevc instead of avc/);
        return true;
      },
    );
    assert.equal(existsSync(film), false);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('compares codec settings, frame rate and sound, not only the codec name', async () => {
    const base = await readClipParameters(codecFixture('h264-aac.mp4'));
    const mismatches = compareClips([
      base,
      { ...base, video: { ...base.video, frameRate: base.video.frameRate * 2.5 } },
      { ...base, audio: undefined },
      { ...base, video: { ...base.video, config: 'other' }, audio: { ...base.audio!, sampleRate: 44100 } },
      base,
    ]);
    assert.deepEqual(mismatches.map((m) => m.clip), [2, 3, 4]);
    assert.match(mismatches[0].differences.join(), new RegExp(`${base.video.frameRate * 2.5} frames per second instead of ${base.video.frameRate}`));
    assert.match(mismatches[1].differences.join(), /no sound/);
    assert.match(mismatches[2].differences.join(), /other avc encoder settings/);
    assert.match(mismatches[2].differences.join(), /44100 Hz/);
  });

  it('the chapter box round-trips, titles cut at 255 bytes of UTF-8 without breaking a character', () => {
    const long = '港'.repeat(100); // 300 bytes
    const back = parseChpl(chplBox([{ title: 'A', start: 0 }, { title: long, start: 12.345 }]));
    assert.equal(back[0].title, 'A');
    assert.equal(back[1].start, 12.345);
    assert.equal(back[1].title, '港'.repeat(85));
  });
});
