import assert from 'node:assert/strict';
import type { JobRecord } from '../../src/core/jobs/jobModel';
import type { Sidecar } from '../../src/core/jobs/sidecar';
import type { CodecReport } from '../../src/core/media/videoCodecs';
import { buildPreviewInfo, type PreviewFacts } from '../../src/features/preview/previewInfo';

const h264aac: CodecReport = { ok: true, container: 'mp4', video: [{ codec: 'h264', fourcc: 'avc1' }], audio: [{ codec: 'aac', fourcc: 'mp4a', objectType: 0x40 }], warnings: [], codecsKnown: true };
const desktop = { uiKind: 'desktop', appHost: 'desktop' } as const;
const web = { uiKind: 'web', appHost: 'server-distro' } as const;

const job: JobRecord = {
  id: 'video_123',
  mode: 'image',
  prompt: 'A lantern drifts over a lake',
  request: { model: 'omni-fast', prompt: 'A lantern drifts over a lake', seconds: '8', aspect_ratio: '9:16', first_image_url: 'images/lake.png', images: undefined },
  status: 'completed',
  phase: 'saved',
  progress: 100,
  createdAt: Date.UTC(2026, 11, 4, 12, 0, 0),
  seconds: '5',
  size: '720x1280',
  outputDir: '/w/videos',
  file: '/w/videos/lantern.mp4',
  downloadAttempts: 0,
};

function facts(overrides: Partial<PreviewFacts<string>> = {}): PreviewFacts<string> {
  return {
    file: '/w/videos/lantern.mp4',
    videoSrc: 'https://webview/lantern.mp4?version=1',
    codecs: h264aac,
    host: web,
    ffmpegAvailable: false,
    openTarget: (recorded) => (recorded.startsWith('images/') ? `open:${recorded}` : undefined),
    language: 'en',
    ...overrides,
  };
}

describe('Preview info: what the preview shows about a video, decided from its job, sidecar and codecs', () => {
  it('a saved job: prompt, mode, the returned duration beside the requested one, parameters and what it was made from', () => {
    const { info, targets } = buildPreviewInfo(facts({ job }));
    assert.equal(info.fileName, 'lantern.mp4');
    assert.equal(info.prompt, job.prompt);
    assert.equal(info.id, 'video_123');
    assert.equal(info.mode, 'Image to video (first frame)');
    assert.equal(info.seconds, '5 s (8 s requested)');
    assert.equal(info.size, '720x1280');
    assert.deepEqual(info.parameters, [{ label: 'Aspect ratio', value: '9:16' }]);
    assert.deepEqual(info.sources, [{ role: 'First frame', text: 'images/lake.png', openable: true }]);
    assert.deepEqual(targets, ['open:images/lake.png']);
    assert.equal(info.actions.regenerate, true);
    assert.equal(info.hasSidecar, false);
  });

  it("the file's own duration first, with what the server reported and what was requested when they differ", () => {
    assert.equal(buildPreviewInfo(facts({ job, duration: 3.04 })).info.seconds, '3.0 s (the server reported 5 s; 8 s requested)');
    assert.equal(buildPreviewInfo(facts({ job: { ...job, seconds: '8' }, duration: 8.02 })).info.seconds, '8.0 s');
    assert.equal(buildPreviewInfo(facts({ job: { ...job, seconds: '8' }, duration: 5 })).info.seconds, '5.0 s (the server reported 8 s)');
    // A reported value that is not a number is not compared (nor shown as a difference).
    assert.equal(buildPreviewInfo(facts({ job: { ...job, seconds: 'eight', request: { ...job.request, seconds: '5' } }, duration: 5.1 })).info.seconds, '5.1 s');
  });

  it('a sidecar alone: its request, its server job, inline data named but not offered as a link', () => {
    const sidecar: Sidecar = {
      generator: 'omni-video',
      version: 1,
      id: 'video_9',
      mode: 'references',
      prompt: 'Cafe',
      request: { seconds: '4', images: ['data:image/png;base64,<omitted>', 'https://example.com/a.png'] },
      job: { seconds: 4, size: '1280x720' },
      createdAt: '2026-12-01T10:00:00.000Z',
      savedAt: '2026-12-01T10:01:00.000Z',
      video: 'cafe.mp4',
    };
    const { info, targets } = buildPreviewInfo(facts({ sidecar }));
    assert.equal(info.mode, 'Video from reference images');
    assert.equal(info.seconds, '4 s');
    assert.deepEqual(
      info.sources.map((s) => [s.role, s.text, s.openable]),
      [
        ['Reference 1', 'inline data (not kept)', false],
        ['Reference 2', 'https://example.com/a.png', false],
      ],
    );
    assert.deepEqual(targets, [undefined, undefined]);
    assert.equal(info.hasSidecar, true);
    assert.ok(info.createdAt);
  });

  it('a clip with neither: no prompt, nothing to regenerate', () => {
    const { info } = buildPreviewInfo(facts());
    assert.equal(info.prompt, undefined);
    assert.equal(info.actions.regenerate, false);
    assert.equal(info.seconds, undefined);
  });

  it('H.264 + AAC on desktop: the note says the audio does not play, the system player is offered, the MP3 copy only with ffmpeg', () => {
    const without = buildPreviewInfo(facts({ job, host: desktop }));
    assert.match(without.info.playbackNotes.join(' '), /cannot play AAC audio/);
    assert.equal(without.info.actions.openSystemPlayer, true);
    assert.equal(without.info.actions.makePlayableCopy, false);
    assert.equal(without.info.expectAudio, false);
    assert.ok(without.playbackReasons.length > 0);
    assert.equal(buildPreviewInfo(facts({ job, host: desktop, ffmpegAvailable: true })).info.actions.makePlayableCopy, true);
  });

  it('in the browser the same file plays with sound: no notes, audio expected', () => {
    const { info, playbackReasons } = buildPreviewInfo(facts({ job }));
    assert.deepEqual(info.playbackNotes, []);
    assert.deepEqual(playbackReasons, []);
    assert.equal(info.expectAudio, true);
    assert.equal(info.actions.continueFromLastFrame, true);
  });

  it('a video the host cannot decode: its last frame comes from ffmpeg or not at all', () => {
    const hevc: CodecReport = { ...h264aac, video: [{ codec: 'hevc', fourcc: 'hvc1' }] };
    assert.equal(buildPreviewInfo(facts({ codecs: hevc, host: desktop })).info.actions.continueFromLastFrame, false);
    assert.equal(buildPreviewInfo(facts({ codecs: hevc, host: desktop, ffmpegAvailable: true })).info.actions.continueFromLastFrame, true);
  });
});
