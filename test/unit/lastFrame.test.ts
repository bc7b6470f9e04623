import assert from 'node:assert/strict';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { OmniVideoError } from '../../src/core/common/errors';
import { colorMatrixFor, decodePngDataUrl, extractLastFrameWithFfmpeg, saveLastFramePng } from '../../src/core/media/lastFrame';
import { findOnPath } from '../../src/core/media/ffmpeg';
import { closestFrame } from '../support/frames';
import { tempDir } from './helpers';

const fixtures = path.join(__dirname, '..', 'fixtures');
const PNG = path.join(fixtures, 'frame-640x360.png');
const VIDEO = path.join(fixtures, 'sample-1280x720-h264-aac.mp4');

describe('Last frame: the PNG that chains one clip into the next', () => {
  it('a captured PNG data URL is decoded with its size; anything else from the webview is refused', async () => {
    const bytes = await readFile(PNG);
    const decoded = decodePngDataUrl(`data:image/png;base64,${bytes.toString('base64')}`);
    assert.deepEqual([decoded.width, decoded.height, decoded.bytes.equals(bytes)], [640, 360, true]);
    const refused = [
      'data:image/jpeg;base64,' + bytes.toString('base64'),
      'data:image/png;base64,' + bytes.subarray(0, bytes.length - 40).toString('base64'), // cut off before IEND
      'data:image/png;base64,' + Buffer.from('<svg onload=alert(1)>').toString('base64'),
      'data:image/png;base64,not base64!',
      'javascript:alert(1)',
      '',
    ];
    for (const value of refused) {
      assert.throws(() => decodePngDataUrl(value), (e: unknown) => e instanceof OmniVideoError && /PNG/.test(e.message), value.slice(0, 40));
    }
  });

  it('is saved beside the video as <name>-last-frame.png and never over an existing file', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const video = path.join(dir, 'clip.mp4');
      await copyFile(VIDEO, video);
      await writeFile(path.join(dir, 'clip-last-frame.png'), 'keep me');
      const bytes = await readFile(PNG);
      const saved = await saveLastFramePng(video, bytes);
      assert.equal(path.basename(saved), 'clip-last-frame-2.png');
      assert.ok((await readFile(saved)).equals(bytes));
      assert.equal(await readFile(path.join(dir, 'clip-last-frame.png'), 'utf8'), 'keep me');
    } finally {
      await cleanup();
    }
  });

  it('a folder that cannot be written gives a clear filesystem error', async () => {
    await assert.rejects(saveLastFramePng('/proc/omni-video-nowhere/clip.mp4', Buffer.from('x')), (e: unknown) => e instanceof OmniVideoError && e.kind === 'filesystem' && /last frame beside clip\.mp4/.test(e.message));
  });

  it('ffmpeg turns YUV into RGB as browsers do: the stream\'s own matrix when tagged, else BT.709 for HD and BT.601 below', () => {
    const untaggedHd = 'h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 1280x720 [SAR 1:1 DAR 16:9], 801 kb/s, 24 fps';
    assert.equal(colorMatrixFor(untaggedHd), 'bt709');
    assert.equal(colorMatrixFor('h264 (High) (avc1 / 0x31637661), yuv420p(progressive), 720x1280, 24 fps'), 'bt709');
    assert.equal(colorMatrixFor('h264 (High), yuv420p(tv, progressive), 640x360 [SAR 1:1 DAR 16:9]'), 'bt601');
    assert.equal(colorMatrixFor('h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 1280x720'), undefined);
    assert.equal(colorMatrixFor('hevc (Main), yuv420p10le(tv, bt2020nc/bt2020/smpte2084), 3840x2160'), undefined);
    assert.equal(colorMatrixFor(''), undefined);
  });

  it('ffmpeg extracts the last frame (not the first), in the colours the preview shows, where the webview cannot capture it', async function () {
    const ffmpeg = await findOnPath('ffmpeg');
    if (!ffmpeg) return this.skip();
    const { dir, cleanup } = await tempDir();
    try {
      const video = path.join(dir, 'clip.mp4');
      await copyFile(VIDEO, video);
      const saved = await extractLastFrameWithFfmpeg(video, { ffmpeg });
      assert.equal(path.basename(saved), 'clip-last-frame.png');
      const match = await closestFrame(saved, video);
      assert.equal(match.index, match.count - 1, `closest to frame ${match.index} of ${match.count}`);
      assert.ok(match.distance < 1 && match.toFirst > 3, JSON.stringify(match));
      assert.deepEqual((await readdir(dir)).sort(), ['clip-last-frame.png', 'clip.mp4']);
    } finally {
      await cleanup();
    }
  });

  it('ffmpeg on a file that is not a video fails with a message and leaves no file behind', async function () {
    const ffmpeg = await findOnPath('ffmpeg');
    if (!ffmpeg) return this.skip();
    const { dir, cleanup } = await tempDir();
    try {
      const video = path.join(dir, 'broken.mp4');
      await writeFile(video, 'not a video at all');
      await assert.rejects(extractLastFrameWithFfmpeg(video, { ffmpeg }), (e: unknown) => e instanceof OmniVideoError && /last frame of broken\.mp4/.test(e.message));
      assert.deepEqual(await readdir(dir), ['broken.mp4']);
    } finally {
      await cleanup();
    }
  });
});
