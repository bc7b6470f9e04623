import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  readHeadAndTail,
  sniffFile,
  sniffMedia,
  SNIFF_HEAD_BYTES,
  SNIFF_TAIL_BYTES,
  type ReadableFile,
  type SniffResult,
} from '../../src/core/media/mediaSniffing';
import { tempDir } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);

function sniffBuffer(data: Buffer): SniffResult {
  return sniffMedia(data.subarray(0, SNIFF_HEAD_BYTES), data.length, data.subarray(Math.max(0, data.length - SNIFF_TAIL_BYTES)));
}

/** A RIFF/WebP container around one chunk. */
function webp(chunkType: string, payload: Buffer): Buffer {
  const chunk = Buffer.concat([Buffer.from(chunkType, 'latin1'), u32le(payload.length), payload]);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), u32le(4 + chunk.length), Buffer.from('WEBP', 'latin1'), chunk]);
}

function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function ftyp(brand: string): Buffer {
  const box = Buffer.alloc(24);
  box.writeUInt32BE(24, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(brand, 8, 'latin1');
  box.write(brand, 16, 'latin1');
  return box;
}

describe('Media type sniffing', () => {
  const cases: [file: string, kind: string, mime: string, width?: number, height?: number][] = [
    ['frame-640x360.png', 'image', 'image/png', 640, 360],
    ['frame-640x360.jpg', 'image', 'image/jpeg', 640, 360],
    ['tiny-64x48.webp', 'image', 'image/webp', 64, 48],
    ['tiny-64x48.gif', 'image', 'image/gif', 64, 48],
    ['sample-1280x720-h264-aac.mp4', 'video', 'video/mp4'],
    ['tiny-64x48.mov', 'video', 'video/quicktime'],
    ['tiny-64x48.webm', 'video', 'video/webm'],
  ];
  for (const [file, kind, mime, width, height] of cases) {
    it(`recognises ${file} as ${mime}${width ? ` of ${width}x${height}` : ''} from its bytes`, async () => {
      const { size, result } = await sniffFile(fixture(file));
      assert.equal(size, (await readFile(fixture(file))).length);
      assert.equal(result.kind, kind);
      assert.ok(result.kind === 'image' || result.kind === 'video');
      assert.equal(result.mime, mime);
      assert.equal(result.width, width);
      assert.equal(result.height, height);
    });
  }

  it('goes by the content, not the name: a PNG named .jpg is a PNG, a JPEG named .mp4 is a JPEG', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await copyFile(fixture('frame-640x360.png'), path.join(dir, 'photo.jpg'));
      await copyFile(fixture('frame-640x360.jpg'), path.join(dir, 'clip.mp4'));
      const png = (await sniffFile(path.join(dir, 'photo.jpg'))).result;
      const jpeg = (await sniffFile(path.join(dir, 'clip.mp4'))).result;
      assert.ok(png.kind === 'image' && png.mime === 'image/png');
      assert.ok(jpeg.kind === 'image' && jpeg.mime === 'image/jpeg');
    } finally {
      await cleanup();
    }
  });

  it('an old QuickTime file without an ftyp box is still a MOV', async () => {
    const mov = await readFile(fixture('tiny-64x48.mov'));
    const withoutFtyp = mov.subarray(mov.readUInt32BE(0)); // starts with the "wide" box
    assert.equal(withoutFtyp.toString('latin1', 4, 8), 'wide');
    assert.deepEqual(sniffBuffer(withoutFtyp), { kind: 'video', format: 'mov', mime: 'video/quicktime' });
  });

  it('reads WebP dimensions from lossless (VP8L) and extended (VP8X) files too', () => {
    const bits = (300 - 1) | ((200 - 1) << 14);
    const vp8l = webp('VP8L', Buffer.concat([Buffer.from([0x2f]), u32le(bits), Buffer.alloc(8)]));
    const vp8x = webp('VP8X', Buffer.from([0x10, 0, 0, 0, (5000 - 1) & 0xff, ((5000 - 1) >> 8) & 0xff, 0, (3000 - 1) & 0xff, ((3000 - 1) >> 8) & 0xff, 0]));
    assert.deepEqual(sniffBuffer(vp8l), { kind: 'image', format: 'webp', mime: 'image/webp', width: 300, height: 200 });
    assert.deepEqual(sniffBuffer(vp8x), { kind: 'image', format: 'webp', mime: 'image/webp', width: 5000, height: 3000 });
  });

  it('an empty file is reported as empty', () => {
    assert.deepEqual(sniffMedia(Buffer.alloc(0), 0), { kind: 'empty' });
  });

  it('text, a saved web page, an SVG and random bytes are not taken for media', () => {
    assert.deepEqual(sniffBuffer(Buffer.from('just some notes, not a picture\n')), { kind: 'unknown', text: true, html: false });
    assert.deepEqual(sniffBuffer(Buffer.from('<!DOCTYPE html><html><body>404 Not Found</body></html>')), { kind: 'unknown', text: true, html: true });
    const svg = sniffBuffer(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'));
    assert.ok(svg.kind === 'unsupported' && /SVG/.test(svg.label));
    const binary = sniffBuffer(Buffer.from([0x00, 0x01, 0x02, 0x9f, 0xfe, 0x00, 0x10, 0x20, 0x30]));
    assert.deepEqual(binary, { kind: 'unknown', text: false, html: false });
  });

  it('names formats the provider does not take: HEIC, AVIF, BMP, TIFF, Matroska', () => {
    const heic = sniffBuffer(Buffer.concat([ftyp('heic'), Buffer.alloc(64)]));
    assert.ok(heic.kind === 'unsupported' && heic.label === 'a HEIC image' && heic.mediaKind === 'image');
    const avif = sniffBuffer(Buffer.concat([ftyp('avif'), Buffer.alloc(64)]));
    assert.ok(avif.kind === 'unsupported' && /AVIF/.test(avif.label));
    const bmp = Buffer.alloc(64);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(40, 14);
    assert.ok(sniffBuffer(bmp).kind === 'unsupported');
    assert.ok(sniffBuffer(Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0])).kind === 'unsupported');
    const mkv = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x8b, 0x42, 0x82, 0x88, ...Buffer.from('matroska', 'latin1')]);
    const result = sniffBuffer(mkv);
    assert.ok(result.kind === 'unsupported' && /Matroska/.test(result.label));
  });

  for (const file of ['frame-640x360.png', 'frame-640x360.jpg', 'tiny-64x48.webp', 'tiny-64x48.gif', 'sample-1280x720-h264-aac.mp4', 'tiny-64x48.mov', 'tiny-64x48.webm']) {
    it(`${file} cut in half is reported as truncated, with its type`, async () => {
      const whole = await readFile(fixture(file));
      const complete = sniffBuffer(whole);
      const half = sniffBuffer(whole.subarray(0, Math.floor(whole.length / 2)));
      assert.equal(half.kind, 'truncated', JSON.stringify(half));
      assert.ok(half.kind === 'truncated' && (complete.kind === 'image' || complete.kind === 'video'));
      assert.equal(half.media.mime, complete.mime);
    });
  }

  it('a file cut inside its signature is truncated, not unknown', () => {
    const png = sniffMedia(Buffer.from([0x89, 0x50, 0x4e]), 3);
    assert.ok(png.kind === 'truncated' && png.media.mime === 'image/png');
    const jpeg = sniffMedia(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), 6);
    assert.ok(jpeg.kind === 'truncated' && jpeg.media.mime === 'image/jpeg');
  });

  it('a complete JPEG followed by padding, or by the video of a phone motion photo, is not called truncated', async () => {
    const jpeg = await readFile(fixture('frame-640x360.jpg'));
    assert.equal(sniffBuffer(Buffer.concat([jpeg, Buffer.alloc(16)])).kind, 'image');
    const xmp = Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description GCamera:MotionPhoto="1"/></x:xmpmeta>', 'latin1');
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (xmp.length + 2) >> 8, (xmp.length + 2) & 0xff]), xmp]);
    const motionPhoto = Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2), await readFile(fixture('sample-1280x720-h264-aac.mp4'))]);
    const result = sniffBuffer(motionPhoto);
    assert.ok(result.kind === 'image' && result.mime === 'image/jpeg' && result.width === 640);
  });

  it('a video whose header declares more data than the file holds is truncated (MP4 box, WebM segment)', () => {
    const mp4 = Buffer.concat([ftyp('isom'), Buffer.from([0, 0, 0x10, 0, ...Buffer.from('mdat', 'latin1')]), Buffer.alloc(100)]);
    assert.equal(sniffBuffer(mp4).kind, 'truncated');
    const sparseLike = Buffer.concat([ftyp('isom'), Buffer.from([0, 0, 0, 0, ...Buffer.from('mdat', 'latin1')]), Buffer.alloc(100)]);
    assert.equal(sniffBuffer(sparseLike).kind, 'video', 'a box of size 0 runs to the end of the file');
  });

  it('reads only the first 64 KB and the last bytes of a large file', async () => {
    const size = 5 * 1024 * 1024;
    const content = await readFile(fixture('frame-640x360.png'));
    let bytesRead = 0;
    const file: ReadableFile = {
      async read(buffer, offset, length, position) {
        const n = Math.max(0, Math.min(length, size - position));
        const source = position < content.length ? content.subarray(position, position + n) : Buffer.alloc(n);
        source.copy(buffer, offset);
        bytesRead += n;
        return { bytesRead: n };
      },
    };
    const { head, tail } = await readHeadAndTail(file, size);
    assert.equal(head.length, SNIFF_HEAD_BYTES);
    assert.equal(tail.length, SNIFF_TAIL_BYTES);
    assert.equal(bytesRead, SNIFF_HEAD_BYTES + SNIFF_TAIL_BYTES);
  });

  it('sniffFile of a small file reads it once and sees its end', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const whole = await readFile(fixture('tiny-64x48.gif'));
      await writeFile(path.join(dir, 'cut.gif'), whole.subarray(0, whole.length - 1));
      assert.equal((await sniffFile(path.join(dir, 'cut.gif'))).result.kind, 'truncated');
    } finally {
      await cleanup();
    }
  });
});
