import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  MAX_MOOV_BYTES,
  parseVideoCodecs,
  readVideoCodecs,
  type CodecError,
  type CodecReport,
  type ReadAt,
} from '../../src/core/media/videoCodecs';
import { tempDir } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const CODEC_FIXTURES = path.join(FIXTURES, 'codecs');

// ---- builders for synthetic ISO BMFF files ----------------------------------------------------------

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function u64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
}

/** A box with a 32-bit size. */
function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
}

/** A box with size == 1 and a 64-bit largesize. */
function largeBox(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(1), Buffer.from(type, 'latin1'), u64(BigInt(16 + body.length)), body]);
}

/** A box with size == 0: it runs to the end of the file (or of its parent). */
function openBox(type: string, ...parts: Buffer[]): Buffer {
  return Buffer.concat([u32(0), Buffer.from(type, 'latin1'), ...parts]);
}

const fullBoxHeader = () => Buffer.alloc(4);
const ftyp = (brand = 'isom') => box('ftyp', Buffer.from(brand, 'latin1'), u32(512), Buffer.from(`${brand}iso2avc1mp41`, 'latin1'));
const hdlr = (handler: string) => box('hdlr', fullBoxHeader(), u32(0), Buffer.from(handler, 'latin1'), Buffer.alloc(12), Buffer.from([0]));
const videoEntry = (fourcc: string, ...children: Buffer[]) => box(fourcc, Buffer.alloc(78), ...children);
const audioEntry = (fourcc: string, ...children: Buffer[]) => box(fourcc, Buffer.alloc(28), ...children);

/** An esds with the given objectTypeIndication (ES_Descriptor → DecoderConfigDescriptor → SLConfig). */
function esds(objectType: number): Buffer {
  const decoderConfig = [0x04, 0x11, objectType, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05, 0x02, 0x11, 0x90];
  const descriptor = [0x03, 0x19, 0x00, 0x01, 0x00, ...decoderConfig, 0x06, 0x01, 0x02];
  return box('esds', fullBoxHeader(), Buffer.from(descriptor));
}

function stsd(...entries: Buffer[]): Buffer {
  return box('stsd', fullBoxHeader(), u32(entries.length), ...entries);
}

function trak(handler: string, ...entries: Buffer[]): Buffer {
  return box(
    'trak',
    box('tkhd', Buffer.alloc(84)),
    box('mdia', box('mdhd', Buffer.alloc(24)), hdlr(handler), box('minf', box('stbl', stsd(...entries), box('stts', Buffer.alloc(8))))),
  );
}

const moov = (...traks: Buffer[]) => box('moov', box('mvhd', Buffer.alloc(100)), ...traks);
const h264Trak = () => trak('vide', videoEntry('avc1', box('avcC', Buffer.alloc(16))));
const aacTrak = () => trak('soun', audioEntry('mp4a', esds(0x40)));

function reader(data: Buffer): ReadAt {
  return async (offset, length) => data.subarray(offset, offset + length);
}

function parse(data: Buffer): Promise<CodecReport | CodecError> {
  return parseVideoCodecs(reader(data), data.length);
}

/** A reader over a large virtual file made of zeros except for the given pieces; records every read. */
function sparseReader(pieces: { at: number; data: Buffer }[], size: number) {
  const reads: { offset: number; length: number }[] = [];
  const readAt: ReadAt = async (offset, length) => {
    reads.push({ offset, length });
    const out = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
    for (const { at, data } of pieces) {
      const from = Math.max(at, offset);
      const to = Math.min(at + data.length, offset + out.length);
      if (from < to) data.copy(out, from - offset, from - at, to - at);
    }
    return out;
  };
  return { readAt, reads, bytesRead: () => reads.reduce((sum, r) => sum + r.length, 0) };
}

function assertOk(result: CodecReport | CodecError): CodecReport {
  assert.ok(result.ok, `expected a codec report, got: ${result.ok ? '' : `${result.kind}: ${result.message}`}`);
  return result;
}

function assertError(result: CodecReport | CodecError, kind: CodecError['kind'], message?: RegExp): CodecError {
  assert.ok(!result.ok, `expected a ${kind} error, got a report: ${JSON.stringify(result)}`);
  assert.equal(result.kind, kind, result.message);
  assert.match(result.message, /^[A-Z].*\.$/, 'an English sentence');
  if (message) assert.match(result.message, message);
  return result;
}

const TRUNCATED = /^The file is truncated: the movie header \(moov\) is (missing or )?cut off\.$/;

describe('MP4/MOV/WebM codec reader', () => {
  describe('ffmpeg fixtures', () => {
    const cases: [file: string, container: string, video: object[], audio: object[]][] = [
      ['codecs/h264-aac.mp4', 'mp4', [{ codec: 'h264', fourcc: 'avc1' }], [{ codec: 'aac', fourcc: 'mp4a', objectType: 0x40 }]],
      ['codecs/h264-mp3.mp4', 'mp4', [{ codec: 'h264', fourcc: 'avc1' }], [{ codec: 'mp3', fourcc: 'mp4a', objectType: 0x6b }]],
      ['codecs/h264-noaudio.mp4', 'mp4', [{ codec: 'h264', fourcc: 'avc1' }], []],
      ['codecs/h264-flac.mp4', 'mp4', [{ codec: 'h264', fourcc: 'avc1' }], [{ codec: 'flac', fourcc: 'fLaC' }]],
      ['codecs/hevc-aac.mp4', 'mp4', [{ codec: 'hevc', fourcc: 'hvc1' }], [{ codec: 'aac', fourcc: 'mp4a', objectType: 0x40 }]],
      ['codecs/av1-opus.mp4', 'mp4', [{ codec: 'av1', fourcc: 'av01' }], [{ codec: 'opus', fourcc: 'Opus' }]],
      ['codecs/vp9-opus.mp4', 'mp4', [{ codec: 'vp9', fourcc: 'vp09' }], [{ codec: 'opus', fourcc: 'Opus' }]],
      ['codecs/h264-aac-moov-at-end.mp4', 'mp4', [{ codec: 'h264', fourcc: 'avc1' }], [{ codec: 'aac', fourcc: 'mp4a', objectType: 0x40 }]],
      ['codecs/h264-aac.mov', 'mov', [{ codec: 'h264', fourcc: 'avc1' }], [{ codec: 'aac', fourcc: 'mp4a', objectType: 0x40 }]],
      ['codecs/vp8-vorbis.webm', 'webm', [{ codec: 'vp8', codecId: 'V_VP8' }], [{ codec: 'vorbis', codecId: 'A_VORBIS' }]],
      ['codecs/vp9-opus.webm', 'webm', [{ codec: 'vp9', codecId: 'V_VP9' }], [{ codec: 'opus', codecId: 'A_OPUS' }]],
      ['sample-1280x720-h264-aac.mp4', 'mp4', [{ codec: 'h264', fourcc: 'avc1' }], [{ codec: 'aac', fourcc: 'mp4a', objectType: 0x40 }]],
      ['tiny-64x48.mov', 'mov', [{ codec: 'h264', fourcc: 'avc1' }], []],
      ['tiny-64x48.webm', 'webm', [{ codec: 'vp8', codecId: 'V_VP8' }], []],
    ];
    for (const [file, container, video, audio] of cases) {
      it(`${file}: ${container}, video ${JSON.stringify(video.map((v) => (v as { codec: string }).codec))}, audio ${JSON.stringify(audio.map((a) => (a as { codec: string }).codec))}`, async () => {
        const report = assertOk(await readVideoCodecs(path.join(FIXTURES, file)));
        assert.equal(report.container, container);
        assert.deepEqual(report.video, video);
        assert.deepEqual(report.audio, audio);
        assert.deepEqual(report.warnings, []);
        assert.equal(report.codecsKnown, true);
      });
    }

    it('the fixtures are small (each well under 100 KB)', async () => {
      for (const [file] of cases.filter(([f]) => f.startsWith('codecs/'))) {
        const size = (await readFile(path.join(FIXTURES, file))).length;
        assert.ok(size < 50_000, `${file} is ${size} bytes`);
      }
    });

    it('with moov after mdat, reads only the top-level box headers and the moov box', async () => {
      const data = await readFile(path.join(CODEC_FIXTURES, 'h264-aac-moov-at-end.mp4'));
      const mdatAt = data.indexOf('mdat') - 4;
      const mdatSize = data.readUInt32BE(mdatAt);
      const moovAt = mdatAt + mdatSize;
      assert.equal(data.toString('latin1', moovAt + 4, moovAt + 8), 'moov', 'the fixture has moov after mdat');
      const { readAt, reads } = sparseReader([{ at: 0, data }], data.length);
      assertOk(await parseVideoCodecs(readAt, data.length));
      for (const r of reads) {
        const insideMdatPayload = r.offset >= mdatAt + 8 && r.offset < moovAt;
        assert.ok(!insideMdatPayload, `read at ${r.offset} (${r.length} bytes) is inside mdat`);
      }
      assert.ok(reads.reduce((s, r) => s + r.length, 0) < data.length - mdatSize + 1024);
    });
  });

  describe('truncated files', () => {
    it('cut inside the moov of a faststart file: moov is cut off', async () => {
      const data = await readFile(path.join(CODEC_FIXTURES, 'h264-aac.mp4'));
      const moovAt = data.indexOf('moov') - 4;
      const moovEnd = moovAt + data.readUInt32BE(moovAt);
      for (const cut of [moovAt + 4, moovAt + 8, moovAt + 100, moovAt + 1000, moovEnd - 1]) {
        assertError(await parse(data.subarray(0, cut)), 'truncated', TRUNCATED);
      }
    });

    it('cut after the moov of a faststart file: the codecs are still known', async () => {
      const data = await readFile(path.join(CODEC_FIXTURES, 'h264-aac.mp4'));
      const moovAt = data.indexOf('moov') - 4;
      const report = assertOk(await parse(data.subarray(0, moovAt + data.readUInt32BE(moovAt) + 100)));
      assert.deepEqual(report.audio.map((a) => a.codec), ['aac']);
    });

    it('cut before or inside the moov of a file with moov at the end: missing or cut off', async () => {
      const data = await readFile(path.join(CODEC_FIXTURES, 'h264-aac-moov-at-end.mp4'));
      const moovAt = data.lastIndexOf('moov') - 4;
      for (const cut of [5, 8, 20, 40, 44, 48, 1000, moovAt - 1, moovAt, moovAt + 7, moovAt + 500, data.length - 1]) {
        assertError(await parse(data.subarray(0, cut)), 'truncated', TRUNCATED);
      }
    });

    it('never throws and always gives a sentence, whatever the cut point (every byte of a MOV)', async () => {
      const data = await readFile(path.join(CODEC_FIXTURES, 'h264-aac.mov'));
      for (let cut = 1; cut < data.length; cut++) {
        const result = await parse(data.subarray(0, cut));
        assert.ok(!result.ok, `cut at ${cut}`);
        assert.ok(result.kind === 'truncated' || result.kind === 'notVideo', `cut at ${cut}: ${result.kind}`);
        assert.ok(result.message.length > 10);
      }
    });

    it('a WebM cut inside its header or track list', async () => {
      const data = await readFile(path.join(CODEC_FIXTURES, 'vp8-vorbis.webm'));
      const tracksAt = data.indexOf(Buffer.from([0x16, 0x54, 0xae, 0x6b]));
      assert.ok(tracksAt > 0);
      for (const cut of [4, 10, 30, tracksAt + 2, tracksAt + 20]) {
        assertError(await parse(data.subarray(0, cut)), 'truncated', /^The file is truncated: the WebM /);
      }
      for (let cut = 1; cut < 600; cut++) {
        const result = await parse(data.subarray(0, cut));
        assert.ok(result.ok || result.message.length > 10);
      }
    });
  });

  describe('not video files', () => {
    it('an empty file', async () => {
      const tmp = await tempDir();
      try {
        const file = path.join(tmp.dir, 'empty.mp4');
        await writeFile(file, Buffer.alloc(0));
        assertError(await readVideoCodecs(file), 'empty', /^The file is empty\.$/);
      } finally {
        await tmp.cleanup();
      }
    });

    it('a text file renamed to .mp4', async () => {
      const tmp = await tempDir();
      try {
        const file = path.join(tmp.dir, 'notes.mp4');
        await writeFile(file, '# Shot list\n\n1. A lighthouse at dusk, slow push-in.\n2. Waves on the rocks.\n');
        assertError(await readVideoCodecs(file), 'notVideo', /^This is not an MP4\/MOV or WebM file: it contains text\.$/);
      } finally {
        await tmp.cleanup();
      }
    });

    it('garbage bytes, a PNG, a GIF', async () => {
      let seed = 42;
      const random = Buffer.alloc(5000, 0).map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff);
      assertError(await parse(Buffer.from(random)), 'notVideo', /^This is not an MP4\/MOV or WebM file\.$/);
      assertError(await readVideoCodecs(path.join(FIXTURES, 'frame-640x360.png')), 'notVideo');
      assertError(await readVideoCodecs(path.join(FIXTURES, 'tiny-64x48.gif')), 'notVideo');
      assertError(await parse(Buffer.from([0xff])), 'notVideo');
      assertError(await parse(Buffer.alloc(3000)), 'notVideo');
    });

    it('a missing file and a failing reader give an io error, not an exception', async () => {
      assertError(await readVideoCodecs(path.join(FIXTURES, 'does-not-exist.mp4')), 'io', /^The file could not be opened: .*ENOENT/);
      const failing: ReadAt = async () => {
        throw new Error('EIO: i/o error');
      };
      assertError(await parseVideoCodecs(failing, 1000), 'io', /^The file could not be read: EIO: i\/o error\.$/);
    });

    it('an EBML file that is neither WebM nor Matroska', async () => {
      const docType = Buffer.from([0x42, 0x82, 0x84, ...Buffer.from('abcd')]);
      const ebml = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x80 | docType.length]), docType]);
      assertError(await parse(ebml), 'notVideo', /EBML document of type "abcd"/);
    });
  });

  describe('synthetic boxes', () => {
    it('maps every known sample entry, reads the esds object type, and names unknown ones', async () => {
      const file = Buffer.concat([
        ftyp(),
        moov(
          trak('vide', videoEntry('avc3')),
          trak('vide', videoEntry('hev1')),
          trak('vide', videoEntry('vp08')),
          trak('vide', videoEntry('mp4v')),
          trak('soun', audioEntry('mp4a', esds(0x67))),
          trak('soun', audioEntry('mp4a', esds(0x69))),
          trak('soun', audioEntry('mp4a')), // no esds: AAC is what mp4a nearly always is
          trak('soun', audioEntry('.mp3')),
          trak('soun', audioEntry('ac-3')),
          trak('soun', audioEntry('ec-3')),
          trak('soun', audioEntry('mp4a', esds(0x21))),
          trak('soun', audioEntry('lpcm')),
          trak('text', box('tx3g', Buffer.alloc(40))),
          trak('tmcd', box('tmcd', Buffer.alloc(20))),
        ),
        box('mdat', Buffer.alloc(100)),
      ]);
      const report = assertOk(await parse(file));
      assert.deepEqual(report.video, [
        { codec: 'h264', fourcc: 'avc3' },
        { codec: 'hevc', fourcc: 'hev1' },
        { codec: 'vp8', fourcc: 'vp08' },
        { codec: 'unknown', fourcc: 'mp4v' },
      ]);
      assert.deepEqual(report.audio, [
        { codec: 'aac', fourcc: 'mp4a', objectType: 0x67 },
        { codec: 'mp3', fourcc: 'mp4a', objectType: 0x69 },
        { codec: 'aac', fourcc: 'mp4a' },
        { codec: 'mp3', fourcc: '.mp3' },
        { codec: 'ac3', fourcc: 'ac-3' },
        { codec: 'eac3', fourcc: 'ec-3' },
        { codec: 'unknown', fourcc: 'mp4a', objectType: 0x21 },
        { codec: 'unknown', fourcc: 'lpcm' },
      ]);
    });

    it('reads a QuickTime version 1 sound description with its esds inside wave', async () => {
      const v1 = Buffer.alloc(28 + 16);
      v1.writeUInt16BE(1, 8);
      const entry = box('mp4a', v1, box('wave', box('frma', Buffer.from('mp4a')), box('mp4a', Buffer.alloc(4)), esds(0x6b), u32(0)));
      const report = assertOk(await parse(Buffer.concat([ftyp('qt  '), moov(trak('soun', entry))])));
      assert.equal(report.container, 'mov');
      assert.deepEqual(report.audio, [{ codec: 'mp3', fourcc: 'mp4a', objectType: 0x6b }]);
    });

    it('encrypted entries report their original format and the encryption', async () => {
      const sinf = (format: string) => box('sinf', box('frma', Buffer.from(format, 'latin1')), box('schm', Buffer.alloc(12)));
      const report = assertOk(await parse(Buffer.concat([ftyp(), moov(trak('vide', videoEntry('encv', sinf('avc1'))), trak('soun', audioEntry('enca', esds(0x40), sinf('mp4a'))))])));
      assert.deepEqual(report.video, [{ codec: 'h264', fourcc: 'avc1', encrypted: true }]);
      assert.deepEqual(report.audio, [{ codec: 'aac', fourcc: 'mp4a', objectType: 0x40, encrypted: true }]);
    });

    it('a moov with size 0 runs to the end of the file', async () => {
      const file = Buffer.concat([ftyp(), box('mdat', Buffer.alloc(50)), openBox('moov', box('mvhd', Buffer.alloc(100)), h264Trak(), aacTrak())]);
      const report = assertOk(await parse(file));
      assert.deepEqual([report.video[0].codec, report.audio[0].codec], ['h264', 'aac']);
    });

    it('an mdat with size 0 (running to the end) and no moov before it: moov is missing', async () => {
      assertError(await parse(Buffer.concat([ftyp(), openBox('mdat', Buffer.alloc(500))])), 'truncated', TRUNCATED);
    });

    it('64-bit sizes: a large mdat and moov, and trak boxes with largesize', async () => {
      const file = Buffer.concat([ftyp(), largeBox('mdat', Buffer.alloc(64)), largeBox('moov', box('mvhd', Buffer.alloc(100)), largeBox('trak', box('mdia', hdlr('vide'), box('minf', box('stbl', stsd(videoEntry('av01'))))))), box('free')]);
      const report = assertOk(await parse(file));
      assert.deepEqual(report.video, [{ codec: 'av1', fourcc: 'av01' }]);
    });

    it('skips a 6 GB mdat with a 64-bit size by seeking, reading only headers and the moov', async () => {
      const head = Buffer.concat([ftyp(), u32(1), Buffer.from('mdat'), u64(6n * 2n ** 30n)]);
      const mdatAt = ftyp().length;
      const moovAt = mdatAt + 6 * 2 ** 30;
      const moovBox = moov(h264Trak(), aacTrak());
      const size = moovAt + moovBox.length;
      const sparse = sparseReader([{ at: 0, data: head }, { at: moovAt, data: moovBox }], size);
      const report = assertOk(await parseVideoCodecs(sparse.readAt, size));
      assert.deepEqual([report.video[0].codec, report.audio[0].codec], ['h264', 'aac']);
      assert.ok(sparse.bytesRead() < 4096 + moovBox.length, `read ${sparse.bytesRead()} bytes`);
    });

    it('refuses a moov larger than the cap without reading it', async () => {
      const moovSize = MAX_MOOV_BYTES + 1024;
      const head = Buffer.concat([ftyp(), u32(moovSize), Buffer.from('moov')]);
      const size = ftyp().length + moovSize;
      const sparse = sparseReader([{ at: 0, data: head }], size);
      assertError(await parseVideoCodecs(sparse.readAt, size), 'unsupported', /too large to read/);
      assert.ok(sparse.bytesRead() < 4096);
    });

    it('a compressed QuickTime movie header (cmov) is unsupported', async () => {
      assertError(await parse(Buffer.concat([ftyp('qt  '), box('moov', box('cmov', box('dcom', Buffer.from('zlib'))))])), 'unsupported', /compressed/);
    });

    it('impossible top-level sizes: too small, a 64-bit size of 0, a box past the end', async () => {
      assertError(await parse(Buffer.concat([ftyp(), u32(4), Buffer.from('free'), Buffer.alloc(100)])), 'damaged', /"free" at byte 32 has an impossible size/);
      assertError(await parse(Buffer.concat([ftyp(), u32(1), Buffer.from('mdat'), u64(0n), Buffer.alloc(100)])), 'damaged');
      assertError(await parse(Buffer.concat([ftyp(), u32(1), Buffer.from('mdat'), u64(2n ** 63n), Buffer.alloc(100)])), 'damaged');
      assertError(await parse(Buffer.concat([ftyp(), box('free', Buffer.alloc(10)), Buffer.from([0x00, 0x00, 0x10, 0x00, 0x01, 0x02, 0x03, 0x04]), Buffer.alloc(100, 1)])), 'damaged', /unreadable type/);
      assertError(await parse(Buffer.concat([ftyp(), box('free', Buffer.alloc(10)), Buffer.alloc(64)])), 'truncated', TRUNCATED);
    });

    it('damage inside moov: no readable track is an error; one damaged track among good ones is a warning', async () => {
      const broken = Buffer.concat([u32(4000), Buffer.from('trak'), Buffer.alloc(20)]);
      assertError(await parse(Buffer.concat([ftyp(), box('moov', box('mvhd', Buffer.alloc(100)), broken)])), 'damaged', /movie header \(moov\) cannot be read/);

      const badVideo = box('trak', box('mdia', hdlr('vide'), box('minf', Buffer.concat([u32(9999), Buffer.from('stbl')]))));
      const report = assertOk(await parse(Buffer.concat([ftyp(), moov(badVideo, aacTrak())])));
      assert.deepEqual(report.video, []);
      assert.deepEqual(report.audio.map((a) => a.codec), ['aac']);
      assert.equal(report.warnings.length, 1);
      assert.match(report.warnings[0], /^Track 1 \(video\) has no readable sample description: a "stbl" box has an impossible size\.$/);
    });

    it('a very deep nesting of boxes terminates', async () => {
      let nested = videoEntry('avc1');
      for (let i = 0; i < 5000; i++) nested = box(i % 2 ? 'trak' : 'wave', nested);
      const deepAudio = audioEntry('mp4a', (() => {
        let w = esds(0x6b);
        for (let i = 0; i < 5000; i++) w = box('wave', w);
        return w;
      })());
      const started = Date.now();
      const result = await parse(Buffer.concat([ftyp(), box('moov', nested, trak('soun', deepAudio), aacTrak())]));
      const report = assertOk(result);
      assert.deepEqual(report.audio, [{ codec: 'aac', fourcc: 'mp4a' }, { codec: 'aac', fourcc: 'mp4a', objectType: 0x40 }]);
      assert.ok(Date.now() - started < 2000);
    });

    it('hundreds of thousands of empty boxes terminate: inside moov and at the top level', async () => {
      const empties = Buffer.concat(Array.from({ length: 250_000 }, () => box('free')));
      const started = Date.now();
      const inMoov = await parse(Buffer.concat([ftyp(), box('moov', empties, h264Trak())]));
      assertError(inMoov, 'damaged', /too many boxes/);
      const topLevel = await parse(Buffer.concat([ftyp(), empties.subarray(0, 8 * 30_000), moov(h264Trak())]));
      assertError(topLevel, 'damaged', /too many top-level boxes/);
      assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
    });

    it('random corruption of a real file never throws', async () => {
      const data = await readFile(path.join(CODEC_FIXTURES, 'h264-aac.mp4'));
      let seed = 7;
      const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
      for (let i = 0; i < 1500; i++) {
        const copy = Buffer.from(data);
        for (let j = 0; j <= rnd(8); j++) copy[rnd(2000)] = rnd(256);
        const result = await parse(copy);
        assert.ok(result.ok || (result.kind !== 'io' && result.message.length > 10), JSON.stringify(result));
      }
    });
  });

  describe('WebM and Matroska', () => {
    /** EBML element with a 1-byte size (content < 127 bytes) or an 8-byte size. */
    function el(id: number[], ...parts: Buffer[]): Buffer {
      const body = Buffer.concat(parts);
      const size = body.length < 127 ? Buffer.from([0x80 | body.length]) : Buffer.concat([Buffer.from([0x01]), Buffer.from(body.length.toString(16).padStart(14, '0'), 'hex')]);
      return Buffer.concat([Buffer.from(id), size, body]);
    }
    const ebmlHeader = (docType: string) => el([0x1a, 0x45, 0xdf, 0xa3], el([0x42, 0x82], Buffer.from(docType)));
    /** A video track's Video element with its mandatory PixelWidth and PixelHeight: mediabunny drops a video track without them. */
    const videoSettings = (type: number) => (type === 1 ? [el([0xe0], el([0xb0], Buffer.from([64])), el([0xba], Buffer.from([48])))] : []);
    const trackEntry = (type: number, codecId: string) =>
      el([0xae], el([0xd7], Buffer.from([1])), el([0x83], Buffer.from([type])), el([0x86], Buffer.from(codecId)), ...videoSettings(type));
    const unknownSizeSegment = (...children: Buffer[]) => Buffer.concat([Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), ...children]);

    it('a Matroska file with H.264 and AAC, in a Segment of unknown size, after SeekHead and Info', async () => {
      const file = Buffer.concat([
        ebmlHeader('matroska'),
        unknownSizeSegment(
          el([0x11, 0x4d, 0x9b, 0x74], Buffer.alloc(40)),
          el([0x15, 0x49, 0xa9, 0x66], Buffer.alloc(30)),
          el([0x16, 0x54, 0xae, 0x6b], trackEntry(1, 'V_MPEG4/ISO/AVC'), trackEntry(2, 'A_AAC'), trackEntry(17, 'S_TEXT/UTF8'), trackEntry(2, 'A_TRUEHD')),
        ),
      ]);
      const report = assertOk(await parse(file));
      assert.equal(report.container, 'matroska');
      assert.deepEqual(report.video, [{ codec: 'h264', codecId: 'V_MPEG4/ISO/AVC' }]);
      assert.deepEqual(report.audio, [
        { codec: 'aac', codecId: 'A_AAC' },
        { codec: 'unknown', codecId: 'A_TRUEHD' },
      ]);
    });

    it('a WebM whose media data comes before its track list: container known, codecs not', async () => {
      const file = Buffer.concat([ebmlHeader('webm'), unknownSizeSegment(el([0x1f, 0x43, 0xb6, 0x75], Buffer.alloc(200)), el([0x16, 0x54, 0xae, 0x6b], trackEntry(1, 'V_VP9')))]);
      const report = assertOk(await parse(file));
      assert.equal(report.container, 'webm');
      assert.equal(report.codecsKnown, false);
      assert.deepEqual([report.video, report.audio], [[], []]);
      assert.match(report.warnings[0], /media data starts before its track list/);
    });

    it('a WebM that ends 8 bytes into an element header is truncated, and the reading ends (mediabunny 1.61 alone loops for ever)', async () => {
      const data = await readFile(path.join(CODEC_FIXTURES, 'vp8-vorbis.webm'));
      const voidAt = data.indexOf(Buffer.from([0xec, 0x01])); // a Void element with an 8-byte size, after the SeekHead
      assert.ok(voidAt > 0);
      assertError(await parse(data.subarray(0, voidAt + 8)), 'truncated', /^The file is truncated: the WebM /);
    });

    it('a whole track list that mediabunny cannot read is damaged', async () => {
      const entry = Buffer.from([0xae, 0x85, 0xd7, 0x88, 1, 2, 3]); // a TrackNumber of 8 bytes in an entry of 5
      assertError(await parse(Buffer.concat([ebmlHeader('webm'), unknownSizeSegment(el([0x16, 0x54, 0xae, 0x6b], entry))])), 'damaged', /WebM track list cannot be read/);
    });
  });
});
