// The playable copy for desktop VS Code, made by the real ffmpeg (CI installs it): video copied,
// audio MP3, beside the original, never over an existing file, nothing left behind on failure.
import assert from 'node:assert/strict';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { OmniVideoError } from '../../src/core/common/errors';
import { readVideoCodecs } from '../../src/core/media/videoCodecs';
import { findOnPath } from '../../src/core/media/ffmpeg';
import { makePlayableCopy, playableCopyPath } from '../../src/core/media/playableCopy';
import { decidePlayability } from '../../src/core/media/playability';
import { FIXTURES_DIR } from '../simulator/server';
import { tempDir } from './helpers';

const DESKTOP = { uiKind: 'desktop', appHost: 'desktop' } as const;

describe('Playable copy (ffmpeg)', function () {
  this.timeout(30_000);
  let ffmpeg: string | undefined;
  let dir: string;
  let cleanup: () => Promise<void>;

  before(async function () {
    ffmpeg = await findOnPath('ffmpeg');
    if (!ffmpeg) this.skip(); // .ci/run installs ffmpeg; a machine without it skips these
  });
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('findOnPath finds an executable on PATH and nothing on an empty PATH', async () => {
    assert.ok(ffmpeg && path.isAbsolute(ffmpeg));
    assert.equal(await findOnPath('ffmpeg', { PATH: '' }), undefined);
    assert.equal(await findOnPath('surely-not-a-command-omni', process.env), undefined);
  });

  it('an H.264 + AAC clip becomes H.264 + MP3 beside it, which desktop VS Code plays with sound', async () => {
    const source = path.join(dir, 'clip one.mp4');
    await copyFile(path.join(FIXTURES_DIR, 'codecs', 'h264-aac.mp4'), source);
    const before = decidePlayability(await readVideoCodecs(source), DESKTOP);
    assert.equal(before.audio, 'unplayable');
    assert.ok(before.offerPlayableCopy);

    const copy = await makePlayableCopy(source, { ffmpeg: ffmpeg! });
    assert.equal(copy, path.join(dir, 'clip one.playable.mp4'));
    const report = await readVideoCodecs(copy);
    assert.ok(report.ok, JSON.stringify(report));
    assert.deepEqual([report.video[0]?.codec, report.audio[0]?.codec], ['h264', 'mp3']);
    const after = decidePlayability(report, DESKTOP);
    assert.deepEqual([after.video, after.audio, after.offerSystemPlayer], ['playable', 'playable', false]);
    assert.deepEqual((await readdir(dir)).sort(), ['clip one.mp4', 'clip one.playable.mp4'], 'no temporary file left');

    const second = await makePlayableCopy(source, { ffmpeg: ffmpeg! });
    assert.equal(second, path.join(dir, 'clip one.playable-2.mp4'), 'an existing copy is never overwritten');
  });

  it('a file ffmpeg cannot read gives a clear error and leaves nothing behind', async () => {
    const source = path.join(dir, 'broken.mp4');
    await writeFile(source, 'not a video at all');
    await assert.rejects(makePlayableCopy(source, { ffmpeg: ffmpeg! }), (error: unknown) => error instanceof OmniVideoError && /ffmpeg could not make a playable copy of broken\.mp4/.test(error.message));
    assert.deepEqual(await readdir(dir), ['broken.mp4']);
    assert.equal(await readFile(source, 'utf8'), 'not a video at all');
  });

  it('playableCopyPath keeps the extension and finds a free name', async () => {
    const source = path.join(dir, 'a.mov');
    assert.equal(await playableCopyPath(source), path.join(dir, 'a.playable.mov'));
    await writeFile(path.join(dir, 'a.playable.mov'), '');
    assert.equal(await playableCopyPath(source), path.join(dir, 'a.playable-2.mov'));
  });
});
