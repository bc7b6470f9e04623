import assert from 'node:assert/strict';
import { OmniVideoError } from '../../src/core/common/errors';
import { normalizeStatus } from '../../src/core/jobs/jobModel';
import { redactDataUris } from '../../src/core/common/logger';
import { idTail, outputBaseName, slugify } from '../../src/core/jobs/outputNaming';
import { buildTextRequest, parseGenerationParams } from '../../src/core/api/requestBuilder';
import { serverErrorText, videoJobSchema } from '../../src/core/api/schemas';
import * as path from 'node:path';
import { videoReference } from '../../src/core/common/documentReference';
import { inertMessageText } from '../../src/core/common/messageText';
import { scrubForDisk } from '../../src/core/jobs/sidecar';

describe('Output names', () => {
  it('are made of local time, a prompt slug and the id tail', () => {
    const created = new Date(2026, 10, 24, 15, 30, 12).getTime();
    assert.equal(outputBaseName(created, 'Ocean waves!', 'video_01KSDCPG3ZXAA2FD4NT3919V5P'), '20261124-153012-ocean-waves-3919v5p');
  });

  it('server ids and prompts cannot escape the folder or inject characters', () => {
    assert.equal(idTail('../../etc/passwd'), 'cpasswd');
    assert.equal(idTail('../..'), 'job');
    assert.equal(slugify('<img src=x onerror=alert(1)>'), 'img-src-x-onerror-alert-1');
    assert.equal(slugify('海浪 拍打 沙滩'), 'video', 'a prompt with no ASCII letters still gets a name');
    assert.equal(slugify('Crème brûlée at dawn'), 'creme-brulee-at-dawn');
    assert.ok(slugify('word '.repeat(50)).length <= 40);
  });
});

describe('Request building', () => {
  it('text-to-video sends seconds as a string and the aspect ratio', () => {
    const built = buildTextRequest('omni-fast', parseGenerationParams({ prompt: '  Waves  ', seconds: '10', aspectRatio: '9:16', resolution: '1080p' }));
    assert.deepEqual(built.body, { model: 'omni-fast', prompt: 'Waves', seconds: '10', aspect_ratio: '9:16', resolution: '1080p' });
    assert.equal(built.mode, 'text');
    assert.equal(typeof built.body.seconds, 'string');
  });

  it('bad parameters are refused with a message before anything is sent', () => {
    const cases: [unknown, RegExp][] = [
      [{ prompt: '   ', seconds: '8', aspectRatio: '16:9' }, /prompt is empty/],
      [{ prompt: 'x', seconds: '7', aspectRatio: '16:9' }, /Duration must be/],
      [{ prompt: 'x', seconds: '8', aspectRatio: '2:1' }, /Aspect ratio must be/],
      [{ prompt: 'x', seconds: '8', aspectRatio: '16:9', resolution: '8k' }, /Resolution must be/],
      [{ prompt: 'x', seconds: '8', aspectRatio: '16:9', fps: 240 }, /fps must be at most 60/],
      [{ prompt: 42, seconds: '8', aspectRatio: '16:9' }, /prompt must be text/],
    ];
    for (const [input, pattern] of cases) {
      assert.throws(() => parseGenerationParams(input), (e: unknown) => e instanceof OmniVideoError && e.kind === 'badRequest' && pattern.test(e.message));
    }
  });
});

describe('Server answers', () => {
  it('tolerate extra fields, numeric seconds, string errors and odd progress', () => {
    const job = videoJobSchema.parse({ id: 'video_X', status: 'completed', progress: '100.4', seconds: 5, extra: { nested: true }, error: null });
    assert.equal(job.seconds, '5');
    assert.equal(job.progress, 100);
    assert.equal(serverErrorText('  boom '), 'boom');
    assert.equal(serverErrorText({ message: 'Blocked', code: 'content_policy_violation' }), 'Blocked (content_policy_violation)');
    assert.equal(serverErrorText({ code: 'E42' }), 'E42');
  });

  it('read only the id as required: timestamps in ms, as strings or ISO dates, null or odd fields never fail an answer', () => {
    const created = Date.parse('2026-11-24T15:30:12Z') / 1000;
    const cases: [Record<string, unknown>, Partial<Record<string, unknown>>][] = [
      [{ id: 'v1', status: 'queued', created_at: created * 1000 }, { created_at: created }],
      [{ id: 'v2', status: 'queued', created_at: String(created) }, { created_at: created }],
      [{ id: 'v3', status: 'queued', created_at: '2026-11-24T15:30:12Z' }, { created_at: created }],
      [{ id: 'v4', created_at: 'yesterday', model: null, object: 7, size: 1280 }, { created_at: undefined, status: undefined, model: null, object: undefined, size: '1280' }],
      [{ id: 'v5', status: 'IN_PROGRESS', progress: 'half', seconds: { n: 5 }, error: 42, video_url: false }, { progress: undefined, seconds: undefined, error: undefined, video_url: undefined }],
    ];
    for (const [answer, expected] of cases) {
      const job = videoJobSchema.parse(answer);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(job[key], value, `${answer.id}.${key}`);
    }
    assert.equal(normalizeStatus(videoJobSchema.parse({ id: 'v4' }).status, 'queued'), 'queued', 'no status: as before');
    assert.equal(normalizeStatus('IN_PROGRESS', 'queued'), 'in_progress');
    assert.throws(() => videoJobSchema.parse({ status: 'queued' }), 'an answer without an id is not a job');
  });

  it('unknown states count as still running; synonyms map to the documented four', () => {
    assert.equal(normalizeStatus('processing', 'queued'), 'in_progress');
    assert.equal(normalizeStatus('succeeded', 'in_progress'), 'completed');
    assert.equal(normalizeStatus('cancelled', 'in_progress'), 'failed');
    assert.equal(normalizeStatus('warming_up', 'queued'), 'queued');
    assert.equal(normalizeStatus('warming_up', 'in_progress'), 'in_progress');
  });
});

describe('What reaches logs and disk', () => {
  it('data URIs are shortened to their type and size in logs', () => {
    const payload = 'A'.repeat(4000);
    assert.equal(redactDataUris(`{"first_image_url":"data:image/png;base64,${payload}"}`), '{"first_image_url":"data:image/png;base64,<2.9 KB>"}');
  });

  it('data URIs never reach a sidecar', () => {
    assert.deepEqual(scrubForDisk({ images: ['data:image/jpeg;base64,AAAA', 'https://x/y.png'], n: 1 }), { images: ['data:image/jpeg;base64,<omitted>', 'https://x/y.png'], n: 1 });
  });
});

describe('inertMessageText', () => {
  it('breaks the [label](target) link syntax of notifications and keeps the text readable', () => {
    const hostile = 'Blocked. [Fix it](command:omniVideo.clearApiKey) or [see] (https://evil.test)';
    const inert = inertMessageText(hostile);
    assert.doesNotMatch(inert, /\]\s*\(/, 'no "](" left');
    assert.equal(inert.replace(/\u200b/g, ''), hostile, 'only zero-width spaces were added');
    assert.equal(inertMessageText('plain [note] (not a link) text'), 'plain [note]\u200b (not a link) text');
    assert.equal(inertMessageText('no brackets'), 'no brackets');
  });
});

describe('videoReference (Insert into Document)', () => {
  it('Markdown and HTML get a <video> element with a relative, URL-encoded src; other files the relative path', () => {
    const video = '/ws/videos/20261125-clip-abc.mp4';
    assert.equal(videoReference(video, '/ws/docs/story/shots.md', 'markdown', path.posix), '<video src="../../videos/20261125-clip-abc.mp4" controls></video>');
    assert.equal(videoReference(video, '/ws/index.html', 'html', path.posix), '<video src="videos/20261125-clip-abc.mp4" controls></video>');
    assert.equal(videoReference('/ws/my clips/a "b" #1.mp4', '/ws/notes.md', 'markdown', path.posix), '<video src="my%20clips/a%20%22b%22%20%231.mp4" controls></video>');
    assert.equal(videoReference(video, '/ws/docs/notes.txt', 'plaintext', path.posix), '../videos/20261125-clip-abc.mp4');
    assert.equal(videoReference(video, '/ws/videos/list.txt', 'plaintext', path.posix), '20261125-clip-abc.mp4');
  });

  it('Windows paths become forward-slash references', () => {
    assert.equal(videoReference('C:\\ws\\videos\\a.mp4', 'C:\\ws\\docs\\shots.md', 'markdown', path.win32), '<video src="../videos/a.mp4" controls></video>');
    assert.equal(videoReference('C:\\ws\\videos\\a.mp4', 'C:\\ws\\docs\\shots.txt', 'plaintext', path.win32), '../videos/a.mp4');
  });
});
