// Every media mode as the explorer invokes it, `(clicked, selected[])`, with what the simulator saw,
// and every refusal: a clear message, and no POST (nothing billed).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe } from './probe';
import { assertDataUriOf, simulator, type LoggedRequest } from './simulatorControl';
import { copyFixture, fixtures, workspaceFile, writeWorkspaceFile as writeFile } from './workspaceFiles';

async function title(expected: string): Promise<void> {
  await probe.waitFor(() => probe.domText('.quick-input-widget .quick-input-title'), (t) => t.some((x) => x.includes(expected)), `the "${expected}" step`);
}

/** Answers the prompt, duration and aspect steps like a user: type, then Enter three times. */
async function answerPromptSteps(prompt: string, firstStep: number, steps: number): Promise<void> {
  await title(`(${firstStep}/${steps})`);
  await probe.type(prompt);
  await probe.press('Enter');
  await title(`(${firstStep + 1}/${steps})`);
  await probe.press('Enter');
  await title(`(${firstStep + 2}/${steps})`);
  await probe.press('Enter');
}

async function lastCreate(before: number): Promise<LoggedRequest & { body: Record<string, unknown> }> {
  const creates = await simulator.creates();
  assert.equal(creates.length - before, 1, 'exactly one POST');
  return creates.at(-1) as LoggedRequest & { body: Record<string, unknown> };
}

/** Reads the notification center (every notification, not just the three newest toasts). */
async function notificationsMention(text: string): Promise<void> {
  await vscode.commands.executeCommand('notifications.showList');
  try {
    await probe.waitFor(() => probe.domText('.notifications-center .notification-list-item-message'), (m) => m.some((x) => x.includes(text)), `a notification mentioning "${text}"`, 10_000);
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}

describe('Media modes from the explorer', function () {
  this.timeout(120_000);
  let api: OmniVideoApi;
  let png: vscode.Uri, jpg: vscode.Uri, webp: vscode.Uri, clip: vscode.Uri;

  before(async () => {
    api = await vscode.extensions.getExtension<OmniVideoApi>('omni-video.omni-video')!.activate();
    await vscode.commands.executeCommand('omniVideo.setApiKey', simulator.token);
    png = copyFixture('frame-640x360.png', 'storyboard/opening.png');
    jpg = copyFixture('frame-640x360.jpg', 'storyboard/closing.jpg');
    webp = copyFixture('tiny-64x48.webp', 'storyboard/style.webp');
    clip = copyFixture('sample-1280x720-h264-aac.mp4', 'clips/rough-cut.mp4');
  });

  it('right-click one image → Generate Video from Image: the image is first_image_url and the result is saved', async function () {
    skipWithoutProbe(this);
    const before = (await simulator.creates()).length;
    const pending = vscode.commands.executeCommand<string | undefined>('omniVideo.imageToVideo', png, [png]);
    await answerPromptSteps('The scene comes alive with gentle wind and drifting clouds', 1, 3);
    const id = await pending;
    assert.ok(id);
    const create = await lastCreate(before);
    assertDataUriOf(create.body.first_image_url, png, 'image/png');
    assert.deepEqual(Object.keys(create.body).sort(), ['aspect_ratio', 'first_image_url', 'model', 'prompt', 'seconds']);
    const done = await api.waitForJob(id);
    assert.equal(done.status, 'completed', done.error);
    assert.equal(done.mode, 'image');
    const sidecar = JSON.parse(fs.readFileSync(done.file!.fsPath.replace(/\.mp4$/, '.json'), 'utf8'));
    assert.equal(sidecar.request.first_image_url, 'storyboard/opening.png', 'the sidecar records the workspace path, never the data');
  });

  it('two images → Interpolate: selection order, with a one-click swap before sending', async function () {
    skipWithoutProbe(this);
    const before = (await simulator.creates()).length;
    const pending = vscode.commands.executeCommand<string | undefined>('omniVideo.interpolate', png, [png, jpg]);
    await title('(1/4)');
    await probe.waitFor(() => probe.domText('.quick-input-list .monaco-list-row'), (rows) => rows.some((r) => r.includes('opening.png') && r.includes('closing.jpg')), 'the frame order');
    await probe.press('ArrowDown'); // "Swap first and last frame"
    await probe.press('Enter');
    await probe.waitFor(() => probe.domText('.quick-input-list .monaco-list-row'), (rows) => rows.some((r) => /closing\.jpg.*opening\.png/.test(r)), 'the swapped order');
    await probe.screenshot('interpolate-frame-order');
    await probe.press('Enter'); // continue with the swapped order
    await answerPromptSteps('Smooth cinematic transition between the two frames', 2, 4);
    const id = await pending;
    assert.ok(id);
    const create = await lastCreate(before);
    assertDataUriOf(create.body.first_image_url, jpg, 'image/jpeg');
    assertDataUriOf(create.body.last_image_url, png, 'image/png');
    assert.equal((await api.waitForJob(id)).status, 'completed');
  });

  it('three images → Generate Video from References: images[] in selection order', async function () {
    skipWithoutProbe(this);
    const before = (await simulator.creates()).length;
    const pending = vscode.commands.executeCommand<string | undefined>('omniVideo.referencesToVideo', png, [png, jpg, webp]);
    await answerPromptSteps('Image 1 is the character, image 2 the setting, image 3 the style. A cozy cafe scene.', 1, 3);
    const id = await pending;
    assert.ok(id);
    const create = await lastCreate(before);
    const images = create.body.images as unknown[];
    assert.equal(images.length, 3);
    assertDataUriOf(images[0], png, 'image/png');
    assertDataUriOf(images[1], jpg, 'image/jpeg');
    assertDataUriOf(images[2], webp, 'image/webp');
    assert.equal((await api.waitForJob(id)).status, 'completed');
  });

  it('a clip → Edit or Extend Video: the clip is `video` and the edit is saved and previewed', async function () {
    skipWithoutProbe(this);
    const before = (await simulator.creates()).length;
    const pending = vscode.commands.executeCommand<string | undefined>('omniVideo.editVideo', clip, [clip]);
    await answerPromptSteps('Add a rainy night look with neon reflections', 1, 3);
    const id = await pending;
    assert.ok(id);
    const create = await lastCreate(before);
    assertDataUriOf(create.body.video, clip, 'video/mp4');
    const done = await api.waitForJob(id);
    assert.equal(done.status, 'completed');
    const name = path.basename(done.file!.fsPath);
    // The preview opened by itself (another job finishing at the same moment may be in front of it).
    await probe.waitFor(async () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)), (labels) => labels.includes(name), 'the preview tab of the edit');
    await vscode.commands.executeCommand('omniVideo.openPreview', done.file);
    await probe.waitFor(() => probe.videos(), (v) => v.some((x) => x.src.includes(name) && x.readyState >= 2), 'the edit playing in the preview', 30_000);
  });

  it('every mode also runs with no UI from an options object (paths, URLs and data URIs)', async () => {
    const before = (await simulator.creates()).length;
    const dataUri = `data:image/png;base64,${fs.readFileSync(png.fsPath).toString('base64')}`;
    const ids = [
      await vscode.commands.executeCommand<string>('omniVideo.imageToVideo', { prompt: 'Relative path', firstImage: 'storyboard/opening.png' }),
      await vscode.commands.executeCommand<string>('omniVideo.interpolate', { prompt: 'URL and Uri', firstImage: 'https://example.com/start.jpg', lastImage: jpg }),
      await vscode.commands.executeCommand<string>('omniVideo.referencesToVideo', { prompt: 'Data URI', images: [dataUri, png.fsPath] }),
      await vscode.commands.executeCommand<string>('omniVideo.editVideo', { prompt: 'Clip by path', video: 'clips/rough-cut.mp4' }),
    ];
    assert.ok(ids.every((id) => /^video_/.test(id)));
    const creates = (await simulator.creates()).slice(before);
    assert.equal(creates.length, 4);
    const [image, inter, refs, edit] = creates.map((c) => c.body as Record<string, unknown>);
    assertDataUriOf(image.first_image_url, png, 'image/png');
    assert.equal(inter.first_image_url, 'https://example.com/start.jpg', 'a URL is sent as is');
    assertDataUriOf(inter.last_image_url, jpg, 'image/jpeg');
    assertDataUriOf((refs.images as unknown[])[0], png, 'image/png');
    assertDataUriOf(edit.video, clip, 'video/mp4');
    for (const id of ids) assert.equal((await api.waitForJob(id)).status, 'completed');
  });

  describe('refusals: a clear message naming the problem, and nothing sent', () => {
    beforeEach(async () => {
      await vscode.commands.executeCommand('notifications.clearAll');
      await new Promise((r) => setTimeout(r, 300));
    });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'omni-outside-'));
    const cases: { name: string; make: () => vscode.Uri[]; command: string; message: RegExp; notification: string }[] = [
      {
        name: 'six images for references (the limit is five)',
        make: () => [0, 1, 2, 3, 4, 5].map((i) => copyFixture('frame-640x360.png', `six/shot-${i}.png`)),
        command: 'omniVideo.referencesToVideo',
        message: /at most 5 reference images/,
        notification: 'at most 5 reference images',
      },
      { name: 'an empty file', make: () => [writeFile('bad/empty.png', '')], command: 'omniVideo.imageToVideo', message: /empty/, notification: 'bad/empty.png' },
      { name: 'a text file named .jpg', make: () => [writeFile('bad/notes.jpg', 'Shot 1: the beach.\nShot 2: the cafe.\n')], command: 'omniVideo.imageToVideo', message: /notes\.jpg/, notification: 'bad/notes.jpg' },
      {
        name: 'a truncated PNG',
        make: () => {
          const bytes = fs.readFileSync(path.join(fixtures, 'frame-640x360.png'));
          return [writeFile('bad/cut.png', bytes.subarray(0, bytes.length / 2))];
        },
        command: 'omniVideo.imageToVideo',
        message: /cut\.png/,
        notification: 'bad/cut.png',
      },
      {
        name: 'a clip over the 10 MB upload limit',
        make: () => {
          const uri = writeFile('bad/long-take.mp4', fs.readFileSync(path.join(fixtures, 'sample-1280x720-h264-aac.mp4')));
          fs.truncateSync(uri.fsPath, 11 * 1024 * 1024);
          return [uri];
        },
        command: 'omniVideo.editVideo',
        message: /10 MB/,
        notification: '10 MB',
      },
      { name: 'a folder', make: () => [workspaceFile('storyboard')], command: 'omniVideo.imageToVideo', message: /folder/, notification: 'storyboard' },
      {
        name: 'a file outside the workspace folders',
        make: () => {
          const file = path.join(tmp, 'elsewhere.png');
          fs.copyFileSync(path.join(fixtures, 'frame-640x360.png'), file);
          return [vscode.Uri.file(file)];
        },
        command: 'omniVideo.imageToVideo',
        message: /outside the workspace/,
        notification: 'outside the workspace',
      },
      { name: 'a missing file', make: () => [workspaceFile('bad/missing.png')], command: 'omniVideo.imageToVideo', message: /missing\.png/, notification: 'bad/missing.png' },
    ];

    for (const c of cases) {
      it(`${c.name}`, async function () {
        const files = c.make();
        const before = (await simulator.creates()).length;
        // As the explorer invokes it: a message, no prompt asked.
        const result = await vscode.commands.executeCommand(c.command, files[0], files);
        assert.equal(result, undefined);
        if (probe.available) await notificationsMention(c.notification);
        // As a script invokes it: the promise rejects with the same message.
        const options =
          c.command === 'omniVideo.referencesToVideo' ? { prompt: 'x', images: files }
          : c.command === 'omniVideo.editVideo' ? { prompt: 'x', video: files[0] }
          : { prompt: 'x', firstImage: files[0] };
        await assert.rejects(Promise.resolve(vscode.commands.executeCommand(c.command, options)), c.message);
        assert.equal((await simulator.creates()).length, before, 'nothing was sent');
      });
    }
  });
});
