import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { AudioTrackCodec, CodecError, CodecReport, Container, VideoTrackCodec } from '../../src/core/media/videoCodecs';
import { readVideoCodecs } from '../../src/core/media/videoCodecs';
import { decidePlayability, playbackHostFromEnv, type Playability, type PlaybackHost } from '../../src/core/media/playability';

const DESKTOP: PlaybackHost = { uiKind: 'desktop', appHost: 'desktop' };
const CODE_SERVER: PlaybackHost = { uiKind: 'web', appHost: 'server-distro' };
const VSCODE_DEV: PlaybackHost = { uiKind: 'web', appHost: 'vscode.dev' };

const FOURCC: Record<string, string> = {
  h264: 'avc1',
  hevc: 'hvc1',
  av1: 'av01',
  vp9: 'vp09',
  vp8: 'vp08',
  aac: 'mp4a',
  mp3: 'mp4a',
  opus: 'Opus',
  flac: 'fLaC',
  ac3: 'ac-3',
  unknown: 'mp4v', // an MPEG-4 Part 2 video, or …
};
const UNKNOWN_AUDIO_FOURCC = 'lpcm';

function report(video: string[], audio: string[], container: Container = 'mp4'): CodecReport {
  return {
    ok: true,
    container,
    video: video.map((codec) => ({ codec, fourcc: FOURCC[codec] }) as VideoTrackCodec),
    audio: audio.map((codec) => ({ codec, fourcc: codec === 'unknown' ? UNKNOWN_AUDIO_FOURCC : FOURCC[codec] }) as AudioTrackCodec),
    warnings: [],
    codecsKnown: true,
  };
}

function check(p: Playability, expected: Omit<Playability, 'notes'>): void {
  assert.deepEqual({ ...p, notes: undefined }, { ...expected, notes: undefined });
  assert.deepEqual(p.reasons, p.notes.map((n) => n.message));
}

describe('Playability: what the host can play', () => {
  describe('desktop VS Code (Electron)', () => {
    it('H.264 + AAC: the video plays without sound; system player and an MP3 copy are offered', () => {
      const p = decidePlayability(report(['h264'], ['aac']), DESKTOP);
      check(p, {
        video: 'playable',
        audio: 'unplayable',
        reasons: ["VS Code's desktop app cannot play AAC audio, so this video plays without sound."],
        offerSystemPlayer: true,
        offerPlayableCopy: true,
      });
      assert.deepEqual(p.notes[0], { code: 'audioUnplayable', track: 'audio', codec: 'aac', message: p.reasons[0] });
    });

    it('H.264 + MP3: everything plays, nothing is offered', () => {
      check(decidePlayability(report(['h264'], ['mp3']), DESKTOP), { video: 'playable', audio: 'playable', reasons: [], offerSystemPlayer: false, offerPlayableCopy: false });
    });

    it('H.264 without audio: plays, audio "none"', () => {
      check(decidePlayability(report(['h264'], []), DESKTOP), { video: 'playable', audio: 'none', reasons: [], offerSystemPlayer: false, offerPlayableCopy: false });
    });

    it('HEVC + AAC: the video cannot be decoded, and neither can the audio; no copy (the video would still not play)', () => {
      check(decidePlayability(report(['hevc'], ['aac']), DESKTOP), {
        video: 'unplayable',
        audio: 'unplayable',
        reasons: ["This video uses HEVC (H.265), which VS Code's desktop app cannot decode.", "VS Code's desktop app cannot play its AAC audio either."],
        offerSystemPlayer: true,
        offerPlayableCopy: false,
      });
    });

    it('HEVC without audio: unplayable video', () => {
      check(decidePlayability(report(['hevc'], []), DESKTOP), {
        video: 'unplayable',
        audio: 'none',
        reasons: ["This video uses HEVC (H.265), which VS Code's desktop app cannot decode."],
        offerSystemPlayer: true,
        offerPlayableCopy: false,
      });
    });

    it('AV1 + Opus: neither plays', () => {
      check(decidePlayability(report(['av1'], ['opus']), DESKTOP), {
        video: 'unplayable',
        audio: 'unplayable',
        reasons: ["This video uses AV1, which VS Code's desktop app cannot decode.", "VS Code's desktop app cannot play its Opus audio either."],
        offerSystemPlayer: true,
        offerPlayableCopy: false,
      });
    });

    it('VP9 + Opus: neither plays', () => {
      check(decidePlayability(report(['vp9'], ['opus']), DESKTOP), {
        video: 'unplayable',
        audio: 'unplayable',
        reasons: ["This video uses VP9, which VS Code's desktop app cannot decode.", "VS Code's desktop app cannot play its Opus audio either."],
        offerSystemPlayer: true,
        offerPlayableCopy: false,
      });
    });

    it('unknown codecs: "unknown", named by their fourcc, system player offered', () => {
      const p = decidePlayability(report(['unknown'], ['unknown']), DESKTOP);
      check(p, {
        video: 'unknown',
        audio: 'unknown',
        reasons: [
          'This video uses a codec the preview does not recognise ("mp4v"), so it may not play here.',
          'The audio uses a codec the preview does not recognise ("lpcm"), so it may not play here.',
        ],
        offerSystemPlayer: true,
        offerPlayableCopy: false,
      });
      assert.deepEqual(
        p.notes.map((n) => [n.code, n.track, n.codec]),
        [
          ['unknownVideoCodec', 'video', 'mp4v'],
          ['unknownAudioCodec', 'audio', 'lpcm'],
        ],
      );
      const webm = decidePlayability({ ...report([], ['vorbis'], 'webm'), video: [{ codec: 'unknown', codecId: 'V_THEORA' }] }, DESKTOP);
      assert.match(webm.reasons[0], /\("V_THEORA"\)/);
    });

    it('VP8 + Vorbis WebM, FLAC in MP4: playable', () => {
      check(decidePlayability(report(['vp8'], ['vorbis'], 'webm'), DESKTOP), { video: 'playable', audio: 'playable', reasons: [], offerSystemPlayer: false, offerPlayableCopy: false });
      check(decidePlayability(report(['h264'], ['flac']), DESKTOP), { video: 'playable', audio: 'playable', reasons: [], offerSystemPlayer: false, offerPlayableCopy: false });
    });

    it('H.264 + Opus in MP4 offers the MP3 copy; VP8 + Opus in WebM does not (MP3 does not go into WebM)', () => {
      assert.equal(decidePlayability(report(['h264'], ['opus']), DESKTOP).offerPlayableCopy, true);
      const webm = decidePlayability(report(['vp8'], ['opus'], 'webm'), DESKTOP);
      assert.equal(webm.audio, 'unplayable');
      assert.equal(webm.offerPlayableCopy, false);
      assert.equal(webm.offerSystemPlayer, true);
    });

    it('H.264 + AAC in a MOV offers the copy too', () => {
      assert.equal(decidePlayability(report(['h264'], ['aac'], 'mov'), DESKTOP).offerPlayableCopy, true);
    });

    it('a remote workspace (SSH, WSL): no system player, the file is not on this computer', () => {
      const p = decidePlayability(report(['h264'], ['aac']), { ...DESKTOP, remoteName: 'ssh-remote' });
      assert.equal(p.audio, 'unplayable');
      assert.equal(p.offerSystemPlayer, false);
      assert.equal(p.offerPlayableCopy, true);
    });
  });

  describe('VS Code for the Web and code-server (the browser plays)', () => {
    for (const host of [CODE_SERVER, VSCODE_DEV]) {
      it(`${host.appHost}: H.264 + AAC plays with sound`, () => {
        check(decidePlayability(report(['h264'], ['aac']), host), { video: 'playable', audio: 'playable', reasons: [], offerSystemPlayer: false, offerPlayableCopy: false });
      });
    }

    it('H.264 + MP3 plays', () => {
      check(decidePlayability(report(['h264'], ['mp3']), CODE_SERVER), { video: 'playable', audio: 'playable', reasons: [], offerSystemPlayer: false, offerPlayableCopy: false });
    });

    it('H.264 without audio plays', () => {
      check(decidePlayability(report(['h264'], []), CODE_SERVER), { video: 'playable', audio: 'none', reasons: [], offerSystemPlayer: false, offerPlayableCopy: false });
    });

    it('HEVC: unknown (depends on the browser and device), the webview decides; never a system player in a browser', () => {
      check(decidePlayability(report(['hevc'], ['aac']), CODE_SERVER), {
        video: 'unknown',
        audio: 'playable',
        reasons: ['This video uses HEVC (H.265); whether it plays here depends on the browser and the device.'],
        offerSystemPlayer: false,
        offerPlayableCopy: false,
      });
    });

    it('AV1 + Opus plays', () => {
      check(decidePlayability(report(['av1'], ['opus']), CODE_SERVER), { video: 'playable', audio: 'playable', reasons: [], offerSystemPlayer: false, offerPlayableCopy: false });
    });

    it('VP9 + Opus plays, in MP4 and in WebM', () => {
      check(decidePlayability(report(['vp9'], ['opus']), VSCODE_DEV), { video: 'playable', audio: 'playable', reasons: [], offerSystemPlayer: false, offerPlayableCopy: false });
      check(decidePlayability(report(['vp9'], ['opus'], 'webm'), VSCODE_DEV), { video: 'playable', audio: 'playable', reasons: [], offerSystemPlayer: false, offerPlayableCopy: false });
    });

    it('unknown codecs: unknown, no system player', () => {
      const p = decidePlayability(report(['unknown'], ['unknown']), CODE_SERVER);
      assert.equal(p.video, 'unknown');
      assert.equal(p.audio, 'unknown');
      assert.equal(p.reasons.length, 2);
      assert.equal(p.offerSystemPlayer, false);
    });

    it('AC-3 audio: unknown on the web, unplayable on desktop', () => {
      const web = decidePlayability(report(['h264'], ['ac3']), CODE_SERVER);
      assert.equal(web.audio, 'unknown');
      assert.deepEqual(web.reasons, ['The audio uses AC-3 (Dolby Digital); whether it plays here depends on the browser and the device.']);
      const desktop = decidePlayability(report(['h264'], ['ac3']), DESKTOP);
      assert.equal(desktop.audio, 'unplayable');
      assert.equal(desktop.offerPlayableCopy, true);
    });
  });

  describe('special reports', () => {
    it('an unreadable file: unknown, with the reader message; system player offered on desktop only', () => {
      const error: CodecError = { ok: false, kind: 'truncated', message: 'The file is truncated: the movie header (moov) is missing or cut off.' };
      const desktop = decidePlayability(error, DESKTOP);
      check(desktop, {
        video: 'unknown',
        audio: 'unknown',
        reasons: ["The video's codecs could not be read. The file is truncated: the movie header (moov) is missing or cut off."],
        offerSystemPlayer: true,
        offerPlayableCopy: false,
      });
      assert.equal(desktop.notes[0].code, 'unreadable');
      assert.equal(decidePlayability(error, CODE_SERVER).offerSystemPlayer, false);
    });

    it('no video track: video unknown with a sentence', () => {
      const p = decidePlayability(report([], ['mp3']), DESKTOP);
      assert.equal(p.video, 'unknown');
      assert.deepEqual(p.reasons, ['This file has no video track.']);
    });

    it('encrypted tracks cannot play anywhere', () => {
      for (const host of [DESKTOP, CODE_SERVER]) {
        const p = decidePlayability({ ...report([], []), video: [{ codec: 'h264', fourcc: 'avc1', encrypted: true }], audio: [{ codec: 'aac', fourcc: 'mp4a', encrypted: true }] }, host);
        assert.equal(p.video, 'unplayable');
        assert.equal(p.audio, 'unplayable');
        assert.deepEqual(p.reasons, ['This video is encrypted (DRM-protected), which the preview cannot play.']);
        assert.equal(p.offerPlayableCopy, false);
      }
    });

    it('a WebM whose codecs could not be read, and a Matroska file: unknown', () => {
      const webm = decidePlayability({ ok: true, container: 'webm', video: [], audio: [], warnings: ['x'], codecsKnown: false }, DESKTOP);
      assert.deepEqual([webm.video, webm.audio, webm.offerSystemPlayer], ['unknown', 'unknown', true]);
      assert.match(webm.reasons[0], /codecs of this WebM file could not be read/);
      const mkv = decidePlayability(report(['h264'], ['mp3'], 'matroska'), CODE_SERVER);
      assert.deepEqual([mkv.video, mkv.audio], ['unknown', 'unknown']);
      assert.deepEqual(mkv.reasons, ['This is a Matroska (MKV) file, which VS Code may not be able to play.']);
    });

    it('the first track decides (what the <video> element plays by default)', () => {
      const p = decidePlayability(report(['h264', 'hevc'], ['mp3', 'aac']), DESKTOP);
      assert.deepEqual([p.video, p.audio], ['playable', 'playable']);
    });
  });

  describe('from the fixtures, end to end', () => {
    const FIXTURES = path.join(__dirname, '..', 'fixtures', 'codecs');
    const cases: [file: string, desktop: [string, string, boolean], web: [string, string]][] = [
      ['h264-aac.mp4', ['playable', 'unplayable', true], ['playable', 'playable']],
      ['h264-mp3.mp4', ['playable', 'playable', false], ['playable', 'playable']],
      ['h264-noaudio.mp4', ['playable', 'none', false], ['playable', 'none']],
      ['hevc-aac.mp4', ['unplayable', 'unplayable', false], ['unknown', 'playable']],
      ['av1-opus.mp4', ['unplayable', 'unplayable', false], ['playable', 'playable']],
      ['vp9-opus.mp4', ['unplayable', 'unplayable', false], ['playable', 'playable']],
      ['vp8-vorbis.webm', ['playable', 'playable', false], ['playable', 'playable']],
    ];
    for (const [file, [dv, da, copy], [wv, wa]] of cases) {
      it(`${file}: desktop ${dv}/${da}, web ${wv}/${wa}`, async () => {
        const codecs = await readVideoCodecs(path.join(FIXTURES, file));
        const desktop = decidePlayability(codecs, DESKTOP);
        assert.deepEqual([desktop.video, desktop.audio, desktop.offerPlayableCopy], [dv, da, copy]);
        const web = decidePlayability(codecs, CODE_SERVER);
        assert.deepEqual([web.video, web.audio, web.offerPlayableCopy, web.offerSystemPlayer], [wv, wa, false, false]);
      });
    }
  });

  it('playbackHostFromEnv maps vscode.env (UIKind.Desktop = 1, UIKind.Web = 2)', () => {
    assert.deepEqual(playbackHostFromEnv({ uiKind: 1, appHost: 'desktop', remoteName: undefined }), { uiKind: 'desktop', appHost: 'desktop' });
    assert.deepEqual(playbackHostFromEnv({ uiKind: 2, appHost: 'codespaces', remoteName: 'codespaces' }), { uiKind: 'web', appHost: 'codespaces', remoteName: 'codespaces' });
    assert.deepEqual(playbackHostFromEnv({ uiKind: 1, appHost: 'desktop', remoteName: 'wsl' }), { uiKind: 'desktop', appHost: 'desktop', remoteName: 'wsl' });
  });
});
