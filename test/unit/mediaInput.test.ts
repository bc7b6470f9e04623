import assert from 'node:assert/strict';
import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { OmniVideoError } from '../../src/core/common/errors';
import { dataUriText } from '../../src/core/api/requestBody';
import { MEDIA_LIMITS, nodeMediaFs, prepareMedia, type MediaFs, type MediaRole, type MediaSource, type PreparedMedia } from '../../src/core/api/mediaInput';
import { SNIFF_HEAD_BYTES, SNIFF_TAIL_BYTES } from '../../src/core/media/mediaSniffing';
import { buildModeRequest, checkReferenceCount, type ModeMedia } from '../../src/core/api/modeRequests';
import { parseGenerationParams } from '../../src/core/api/requestBuilder';
import { scrubForDisk } from '../../src/core/jobs/sidecar';
import { tempDir } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);
const MB = 1024 * 1024;

const file = (name: string, dir = FIXTURES): MediaSource => ({ kind: 'file', path: path.join(dir, name), displayPath: `media/${name}` });

async function refused(promise: Promise<unknown>, ...patterns: RegExp[]): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OmniVideoError, `expected an OmniVideoError, got ${error}`);
    assert.equal(error.kind, 'badRequest');
    for (const pattern of patterns) assert.match(error.message, pattern);
    return error.message;
  }
  assert.fail('expected the media to be refused');
}

function refusedSync(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof OmniVideoError);
    assert.equal(error.kind, 'badRequest');
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

function decodeDataUri(uri: string): { mime: string; data: Buffer } {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(uri);
  assert.ok(match, `not a data URI: ${uri.slice(0, 40)}`);
  return { mime: match[1], data: Buffer.from(match[2], 'base64') };
}

/** A real, valid PNG of any size: grey pixels, IDAT compressed at `level` (0 stores them, so the file is big). */
function makePng(width: number, height: number, level = 9): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    typed.copy(out, 4);
    out.writeUInt32BE(crc32(typed), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0; // filter type per row
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level })), chunk('IEND', Buffer.alloc(0))]);
}

function ftypHeader(brand = 'isom'): Buffer {
  const box = Buffer.alloc(32);
  box.writeUInt32BE(32, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(brand, 8, 'latin1');
  box.write(`${brand}mp41avc1`, 16, 'latin1');
  return box;
}

/** The real file system, counting the bytes read through it. */
function countingFs(): { fs: MediaFs; bytesRead: () => number } {
  let total = 0;
  return {
    bytesRead: () => total,
    fs: {
      stat: nodeMediaFs.stat,
      async open(p) {
        const handle = await nodeMediaFs.open(p);
        return {
          async read(buffer, offset, length, position) {
            const result = await handle.read(buffer, offset, length, position);
            total += result.bytesRead;
            return result;
          },
          close: () => handle.close(),
        };
      },
    },
  };
}

describe('Media input: workspace files', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  after(() => cleanup());

  it('an image becomes a data URI of its exact bytes, with the type from the bytes, and is recorded by its workspace path', async () => {
    const prepared = await prepareMedia(file('frame-640x360.png'), 'firstImage');
    const decoded = decodeDataUri(await dataUriText(prepared.value));
    assert.equal(decoded.mime, 'image/png');
    assert.deepEqual(decoded.data, await readFile(fixture('frame-640x360.png')));
    assert.equal(prepared.recorded, 'media/frame-640x360.png');
    assert.equal(prepared.mime, 'image/png');
    assert.equal(prepared.bytes, decoded.data.length);
    assert.equal(prepared.width, 640);
    assert.equal(prepared.height, 360);
    assert.deepEqual(prepared.warnings, []);
  });

  it('a JPEG saved under a .png name is sent as image/jpeg, not by its extension', async () => {
    await writeFile(path.join(dir, 'renamed.png'), await readFile(fixture('frame-640x360.jpg')));
    const prepared = await prepareMedia(file('renamed.png', dir), 'reference');
    assert.equal(decodeDataUri(await dataUriText(prepared.value)).mime, 'image/jpeg');
    assert.equal(prepared.recorded, 'media/renamed.png');
  });

  it('WebP and GIF images are accepted with their own MIME types and sizes', async () => {
    const webp = await prepareMedia(file('tiny-64x48.webp'), 'reference');
    const gif = await prepareMedia(file('tiny-64x48.gif'), 'lastImage');
    assert.deepEqual([webp.mime, webp.width, webp.height], ['image/webp', 64, 48]);
    assert.deepEqual([gif.mime, gif.width, gif.height], ['image/gif', 64, 48]);
    assert.ok((await dataUriText(gif.value)).startsWith('data:image/gif;base64,R0lGOD'));
  });

  it('MP4, MOV and WebM clips are accepted as the video to edit, each with its MIME type', async () => {
    const expected: [string, string][] = [
      ['sample-1280x720-h264-aac.mp4', 'video/mp4'],
      ['tiny-64x48.mov', 'video/quicktime'],
      ['tiny-64x48.webm', 'video/webm'],
    ];
    for (const [name, mime] of expected) {
      const prepared = await prepareMedia(file(name), 'video');
      assert.equal(prepared.kind, 'video');
      assert.equal(decodeDataUri(await dataUriText(prepared.value)).mime, mime);
      assert.deepEqual(decodeDataUri(await dataUriText(prepared.value)).data, await readFile(fixture(name)));
      assert.equal(prepared.recorded, `media/${name}`);
    }
  });

  it('an empty file is refused with a message naming it', async () => {
    await writeFile(path.join(dir, 'empty.png'), '');
    await refused(prepareMedia(file('empty.png', dir), 'firstImage'), /media\/empty\.png is empty/);
  });

  it('a text file named .jpg is refused with a message naming it', async () => {
    await writeFile(path.join(dir, 'notes.jpg'), 'Shot list: sunrise over the bay, slow pan left.\n');
    await refused(prepareMedia(file('notes.jpg', dir), 'firstImage'), /media\/notes\.jpg is not an image/, /text/);
  });

  it('a web page saved as .png (a failed download) is refused and says so', async () => {
    await writeFile(path.join(dir, 'download.png'), '<!doctype html><html><head><title>Access denied</title></head></html>');
    await refused(prepareMedia(file('download.png', dir), 'reference'), /media\/download\.png/, /web page/, /download/i);
  });

  it('a HEIC photo named .jpg is refused by name with what to convert it to', async () => {
    await writeFile(path.join(dir, 'iphone.jpg'), Buffer.concat([ftypHeader('heic'), Buffer.alloc(256)]));
    await refused(prepareMedia(file('iphone.jpg', dir), 'firstImage'), /media\/iphone\.jpg is a HEIC image/, /Convert it to PNG, JPEG or WebP/);
  });

  for (const name of ['frame-640x360.png', 'frame-640x360.jpg']) {
    it(`a truncated ${path.extname(name)} image (cut in half) is refused with a message naming it`, async () => {
      const whole = await readFile(fixture(name));
      const cut = `half-${name}`;
      await writeFile(path.join(dir, cut), whole.subarray(0, whole.length >> 1));
      await refused(prepareMedia(file(cut, dir), 'firstImage'), new RegExp(`media/half-${name.replace('.', '\\.')} is an incomplete`), /again/);
    });
  }

  it('a folder is refused with a message naming it', async () => {
    await mkdir(path.join(dir, 'shots'), { recursive: true });
    await refused(prepareMedia(file('shots', dir), 'reference'), /media\/shots is a folder/, /image file/);
  });

  it('a missing file is refused with a message naming it', async () => {
    await refused(prepareMedia(file('gone.png', dir), 'firstImage'), /media\/gone\.png was not found/);
  });

  it('a clip over 10 MB is refused with the provider limit and what to do, without reading it whole', async () => {
    const big = path.join(dir, 'long.mp4');
    await writeFile(big, ftypHeader());
    await truncate(big, 11 * MB); // sparse: the header, then zeros
    const counting = countingFs();
    const message = await refused(prepareMedia(file('long.mp4', dir), 'video', { fs: counting.fs }), /media\/long\.mp4 is 11\.0 MB/, /at most 10 MB/, /Trim/, /http\(s\) URL/);
    assert.doesNotMatch(message, /base64/);
    assert.ok(counting.bytesRead() <= SNIFF_HEAD_BYTES + SNIFF_TAIL_BYTES, `read ${counting.bytesRead()} bytes of an 11 MB file`);
  });

  it('a clip of exactly 10 MB is accepted', async () => {
    const edge = path.join(dir, 'edge.mp4');
    await writeFile(edge, ftypHeader());
    await truncate(edge, MEDIA_LIMITS.videoDataUriBytes);
    const prepared = await prepareMedia(file('edge.mp4', dir), 'video');
    assert.equal(prepared.bytes, 10 * MB);
  });

  it('an image over 20 MB is refused as too large for a data URI, without reading it whole', async () => {
    const huge = path.join(dir, 'poster.png');
    await writeFile(huge, makePng(64, 64));
    await truncate(huge, 21 * MB);
    const counting = countingFs();
    await refused(prepareMedia(file('poster.png', dir), 'reference', { fs: counting.fs }), /media\/poster\.png is 21\.0 MB/, /too large to upload as a data URI/, /resize/i, /URL/);
    assert.ok(counting.bytesRead() <= SNIFF_HEAD_BYTES + SNIFF_TAIL_BYTES);
  });

  it('an image larger than 4096 px on a side is accepted with a warning naming its size', async () => {
    await writeFile(path.join(dir, 'panorama.png'), makePng(5000, 3000));
    const prepared = await prepareMedia(file('panorama.png', dir), 'firstImage');
    assert.equal(prepared.width, 5000);
    assert.equal(prepared.warnings.length, 1);
    assert.match(prepared.warnings[0], /media\/panorama\.png is 5000×3000 pixels/);
    assert.match(prepared.warnings[0], /4096/);
  });

  it('an image over 8 MB is accepted with a warning that it is slow to upload', async () => {
    await writeFile(path.join(dir, 'heavy.png'), makePng(3000, 3000, 0));
    const prepared = await prepareMedia(file('heavy.png', dir), 'reference');
    assert.ok(prepared.bytes! > MEDIA_LIMITS.imageWarnBytes);
    assert.equal(prepared.warnings.length, 1);
    assert.match(prepared.warnings[0], /media\/heavy\.png is 8\.\d MB/);
  });

  it('an image given as the video to edit is refused, and a clip given as a frame is refused', async () => {
    await refused(prepareMedia(file('frame-640x360.png'), 'video'), /media\/frame-640x360\.png is an image \(PNG\)/, /must be a video clip: MP4, MOV or WebM/);
    await refused(prepareMedia(file('sample-1280x720-h264-aac.mp4'), 'firstImage'), /is a video \(MP4\)/, /the first frame must be an image/);
    await refused(prepareMedia(file('tiny-64x48.webm'), 'reference'), /is a video \(WebM\)/, /a reference image must be an image/);
  });
});

describe('Media input: URLs and data URIs', () => {
  it('an http(s) URL is sent and recorded as given, without being fetched', async () => {
    const url = 'https://cdn.example.com/shots/frame%201.png?sig=abc';
    const prepared = await prepareMedia({ kind: 'url', url }, 'firstImage');
    assert.equal(prepared.value, url);
    assert.equal(prepared.recorded, url);
    assert.equal(prepared.mime, undefined);
    const plain = await prepareMedia({ kind: 'url', url: 'http://example.org/clip.mp4' }, 'video');
    assert.equal(plain.value, 'http://example.org/clip.mp4');
  });

  it('credentials in a URL are sent but not recorded in the sidecar', async () => {
    const prepared = await prepareMedia({ kind: 'url', url: 'https://me:secret@example.com/a.png' }, 'reference');
    assert.equal(prepared.value, 'https://me:secret@example.com/a.png');
    assert.equal(prepared.recorded, 'https://example.com/a.png');
  });

  it('an ftp:// URL (or file://, or no URL at all) is refused with a message', async () => {
    await refused(prepareMedia({ kind: 'url', url: 'ftp://example.com/a.png' }, 'firstImage'), /ftp: URLs cannot be used/, /http or https/);
    await refused(prepareMedia({ kind: 'url', url: 'file:///etc/passwd' }, 'reference'), /file: URLs cannot be used/);
    await refused(prepareMedia({ kind: 'url', url: 'not a url' }, 'video'), /"not a url" is not a valid URL/);
  });

  it('a data URI is sent as given and recorded as its type and size, never its data', async () => {
    const png = await readFile(fixture('frame-640x360.png'));
    const uri = `data:image/png;base64,${png.toString('base64')}`;
    const prepared = await prepareMedia({ kind: 'dataUri', uri }, 'reference');
    assert.equal(prepared.value, uri);
    assert.equal(prepared.recorded, `data:image/png;base64,<${png.length} bytes>`);
    assert.equal(prepared.bytes, png.length);
    assert.equal(prepared.width, 640);
    assert.ok(!prepared.recorded.includes(png.toString('base64').slice(0, 16)));
  });

  it('a data URI whose MIME type does not match its content is refused', async () => {
    const jpeg = (await readFile(fixture('frame-640x360.jpg'))).toString('base64');
    await refused(prepareMedia({ kind: 'dataUri', uri: `data:image/png;base64,${jpeg}` }, 'firstImage'), /says image\/png, but its data is JPEG/);
    const png = (await readFile(fixture('frame-640x360.png'))).toString('base64');
    await refused(prepareMedia({ kind: 'dataUri', uri: `data:image/png;base64,${png}` }, 'video'), /is image\/png, but the video to edit or extend must be a video/);
    await refused(prepareMedia({ kind: 'dataUri', uri: 'data:image/png;base64,SGVsbG8gd29ybGQ=' }, 'firstImage'), /not an image/, /text/);
  });

  it('image/jpg and unpadded base64 are accepted and sent in canonical form', async () => {
    const jpeg = (await readFile(fixture('frame-640x360.jpg'))).toString('base64').replace(/=+$/, '');
    const prepared = await prepareMedia({ kind: 'dataUri', uri: `data:image/jpg;base64,${jpeg}` }, 'lastImage');
    assert.ok((await dataUriText(prepared.value)).startsWith('data:image/jpeg;base64,'));
    assert.deepEqual(decodeDataUri(await dataUriText(prepared.value)).data, await readFile(fixture('frame-640x360.jpg')));
  });

  it('a malformed data URI is refused with the expected form', async () => {
    await refused(prepareMedia({ kind: 'dataUri', uri: 'data:image/png,rawbytes' }, 'firstImage'), /malformed: expected data:<type>;base64,<data>/);
    await refused(prepareMedia({ kind: 'dataUri', uri: 'data:image/png;base64,@@@@' }, 'firstImage'), /not valid base64/);
    await refused(prepareMedia({ kind: 'dataUri', uri: 'data:image/png;base64,' }, 'firstImage'), /contains no data/);
  });

  it('a video data URI over 10 MB is refused with the provider limit', async () => {
    const data = Buffer.alloc(10 * MB + 1);
    ftypHeader().copy(data);
    await refused(prepareMedia({ kind: 'dataUri', uri: `data:video/mp4;base64,${data.toString('base64')}` }, 'video'), /at most 10 MB/, /Trim/);
  });

  it('a MOV clip labelled video/mp4 is accepted and sent as video/quicktime', async () => {
    const mov = (await readFile(fixture('tiny-64x48.mov'))).toString('base64');
    const prepared = await prepareMedia({ kind: 'dataUri', uri: `data:video/mp4;base64,${mov}` }, 'video');
    assert.equal(prepared.mime, 'video/quicktime');
    assert.ok((await dataUriText(prepared.value)).startsWith('data:video/quicktime;base64,'));
  });
});

describe('Request building for every mode', () => {
  const params = parseGenerationParams({ prompt: 'Slow dolly in, warm evening light', seconds: '8', aspectRatio: '16:9', resolution: '1080p', fps: 24 });
  const TEXT_KEYS = ['aspect_ratio', 'fps', 'model', 'prompt', 'resolution', 'seconds'];
  const ALIASES = ['duration', 'size', 'orientation', 'n_frames', 'n', 'video_url'];
  let png: PreparedMedia;
  let jpeg: PreparedMedia;
  let clip: PreparedMedia;
  before(async () => {
    png = await prepareMedia(file('frame-640x360.png'), 'firstImage');
    jpeg = await prepareMedia(file('frame-640x360.jpg'), 'lastImage');
    clip = await prepareMedia(file('sample-1280x720-h264-aac.mp4'), 'video');
  });

  const reference = (p: PreparedMedia): PreparedMedia => ({ ...p, role: 'reference' as MediaRole });

  function check(media: ModeMedia, extraKeys: string[]) {
    const built = buildModeRequest('omni-fast', params, media);
    assert.equal(built.mode, media.mode);
    assert.deepEqual(Object.keys(built.body).sort(), [...TEXT_KEYS, ...extraKeys].sort());
    assert.deepEqual(Object.keys(built.recorded).sort(), Object.keys(built.body).sort());
    for (const alias of ALIASES) assert.ok(!(alias in built.body), `alias ${alias} is never sent`);
    assert.equal(built.body.seconds, '8');
    assert.doesNotMatch(JSON.stringify(built.recorded), /base64,[A-Za-z0-9+/]{8}/, 'the recorded request holds no data');
    return built;
  }

  it('image-to-video sends first_image_url whose decoded bytes equal the file, and records the path', async () => {
    const built = check({ mode: 'image', firstImage: png }, ['first_image_url']);
    assert.deepEqual(decodeDataUri(await dataUriText(built.body.first_image_url!)).data, await readFile(fixture('frame-640x360.png')));
    assert.equal(built.recorded.first_image_url, 'media/frame-640x360.png');
  });

  it('interpolation sends the first and last frame in the order given', async () => {
    const built = check({ mode: 'interpolate', firstImage: png, lastImage: jpeg }, ['first_image_url', 'last_image_url']);
    assert.equal(decodeDataUri(await dataUriText(built.body.first_image_url!)).mime, 'image/png');
    assert.equal(decodeDataUri(await dataUriText(built.body.last_image_url!)).mime, 'image/jpeg');
    assert.deepEqual([built.recorded.first_image_url, built.recorded.last_image_url], ['media/frame-640x360.png', 'media/frame-640x360.jpg']);
  });

  it('one to five reference images are sent as images[] in order', () => {
    for (let n = 1; n <= 5; n++) {
      const images = Array.from({ length: n }, (_, i) => reference(i % 2 ? jpeg : png));
      const built = check({ mode: 'references', images }, ['images']);
      assert.equal(built.body.images!.length, n);
      assert.deepEqual(built.recorded.images, images.map((i) => i.recorded));
    }
  });

  it('six reference images are refused naming the limit of 5; an empty selection is refused too', () => {
    const six = Array.from({ length: 6 }, () => reference(png));
    refusedSync(() => buildModeRequest('omni-fast', params, { mode: 'references', images: six }), /at most 5 reference images; you selected 6/);
    refusedSync(() => checkReferenceCount(6), /at most 5 reference images; you selected 6/);
    refusedSync(() => buildModeRequest('omni-fast', params, { mode: 'references', images: [] }), /at least one reference image/);
  });

  it('video edit sends video and records the clip path', async () => {
    const built = check({ mode: 'video', video: clip }, ['video']);
    assert.deepEqual(decodeDataUri(await dataUriText(built.body.video!)).data, await readFile(fixture('sample-1280x720-h264-aac.mp4')));
    assert.equal(built.recorded.video, 'media/sample-1280x720-h264-aac.mp4');
  });

  it('text-to-video through the same builder has only the text fields', () => {
    check({ mode: 'text' }, []);
  });

  it('URLs and data URIs keep their recorded forms, and the sidecar scrub leaves no data behind', async () => {
    const url = await prepareMedia({ kind: 'url', url: 'https://example.com/ref.png' }, 'reference');
    const given = await prepareMedia({ kind: 'dataUri', uri: `data:image/gif;base64,${(await readFile(fixture('tiny-64x48.gif'))).toString('base64')}` }, 'reference');
    const built = check({ mode: 'references', images: [url, given] }, ['images']);
    assert.deepEqual(built.body.images![0], 'https://example.com/ref.png');
    assert.deepEqual(built.recorded.images, ['https://example.com/ref.png', `data:image/gif;base64,<${given.bytes} bytes>`]);
    assert.doesNotMatch(JSON.stringify(scrubForDisk(built.recorded)), /R0lGOD/);
  });

  it('a clip in an image slot, or an image in the video slot, is refused', () => {
    refusedSync(() => buildModeRequest('omni-fast', params, { mode: 'image', firstImage: clip }), /must be an image/);
    refusedSync(() => buildModeRequest('omni-fast', params, { mode: 'video', video: png }), /must be a video/);
  });
});

describe('Media input: reading', () => {
  it('reads an accepted file exactly once beyond the sniffing reads', async () => {
    const counting = countingFs();
    const size = (await readFile(fixture('frame-640x360.png'))).length;
    await prepareMedia(file('frame-640x360.png'), 'firstImage', { fs: counting.fs });
    // head (the whole small file, read once for sniffing) + the whole file + one probe byte past the end
    assert.ok(counting.bytesRead() <= 2 * size, `read ${counting.bytesRead()} bytes of a ${size}-byte file`);
  });
});
