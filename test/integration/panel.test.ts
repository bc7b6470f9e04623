// The generation panel as a user drives it: media dropped into its slots (the text/uri-list that a drag
// from the Explorer delivers), a slot filled or emptied, the mode it shows, the parameters, Generate —
// and exactly the request the simulator received.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { OmniVideoApi } from '../../src/api/publicApi';
import { probe, skipWithoutProbe } from './probe';
import { assertDataUriOf, simulator } from './simulatorControl';
import { copyFixture } from './workspaceFiles';
import { activateWithSimulatorKey } from './extension';

const PROMPT = 'role=textbox[name="Prompt"]';
const GENERATE = 'role=button[name="Generate"]';

const panelText = async () => (await probe.webview('main', 'text')).text ?? '';

async function panelShows(pattern: RegExp, what: string): Promise<string> {
  return probe.waitFor(panelText, (text) => pattern.test(text), what);
}

describe('Generation panel', function () {
  this.timeout(120_000);
  let api: OmniVideoApi;

  before(async () => {
    api = await activateWithSimulatorKey();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('fill the slots by drop, see the mode, pick the parameters, Generate: exactly that request is sent once', async function () {
    skipWithoutProbe(this);
    const opening = copyFixture('frame-640x360.png', 'panel-media/opening.png');
    const closing = copyFixture('frame-640x360.jpg', 'panel-media/closing.jpg');
    const notes = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'panel-media', 'notes.txt');
    fs.writeFileSync(notes.fsPath, 'not an image');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('omniVideo.openPanel');
    await panelShows(/Mode: Text to video/, 'the panel in text mode');
    await panelShows(/billed/, 'the billing reminder');

    await probe.webview('#drop-firstImage', 'drop', { uris: [opening.toString()] });
    await panelShows(/Mode: Image to video/, 'image mode after the first frame');
    await probe.webview('#drop-lastImage', 'drop', { uris: [closing.toString()] });
    await panelShows(/Mode: Interpolate between first and last frame/, 'interpolate mode');
    assert.match(await panelText(), /panel-media\/opening\.png[\s\S]*panel-media\/closing\.jpg/, 'both thumbnails, named');

    // Refusals: a text file into the references; references together with frames.
    await probe.webview('#drop-images', 'drop', { uris: [notes.toString()] });
    await panelShows(/Not added: notes\.txt is not an image/, 'the refusal');
    await probe.webview('#drop-images', 'drop', { uris: [opening.toString()] });
    await panelShows(/either a video, reference images, or first\/last frames/, 'the conflict explained');
    await probe.webview(PROMPT, 'fill', { value: 'A door opens onto a bright meadow' });
    assert.equal((await probe.webview('#generate:disabled', 'values')).values?.length, 1, 'Generate is disabled while the slots conflict');
    await probe.webview('role=button[name="Remove panel-media/opening.png"] >> nth=-1', 'click');
    await panelShows(/Mode: Interpolate/, 'interpolate again once the reference is removed');

    await probe.webview('#seconds', 'select', { value: '4' });
    await probe.webview('#aspectRatio', 'select', { value: '9:16' });
    await probe.screenshot('generation-panel');
    const before = (await simulator.creates()).length;
    await probe.webview(GENERATE, 'click');
    const text = await panelShows(/Queued as video_\w+/, 'the queued message');
    const id = /Queued as (video_\w+)/.exec(text)![1];
    const creates = await simulator.creates();
    assert.equal(creates.length - before, 1, 'exactly one POST');
    const body = creates.at(-1)!.body as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['aspect_ratio', 'first_image_url', 'last_image_url', 'model', 'prompt', 'seconds']);
    assert.equal(body.prompt, 'A door opens onto a bright meadow');
    assert.equal(body.seconds, '4');
    assert.equal(body.aspect_ratio, '9:16');
    assertDataUriOf(body.first_image_url, opening, 'image/png');
    assertDataUriOf(body.last_image_url, closing, 'image/jpeg');
    assert.equal((await api.waitForJob(id)).status, 'completed');
  });

  it('is usable from the keyboard: the recent prompt, emptying the slots, Ctrl+Enter sends a text-to-video job', async function () {
    skipWithoutProbe(this);
    await vscode.commands.executeCommand('omniVideo.openPanel');
    await panelShows(/Mode: Interpolate/, 'the panel keeps its slots');
    // Each removal redraws the panel: the next button is pressed once the redraw has happened.
    await probe.webview('role=button[name="Remove panel-media/opening.png"]', 'press', { value: 'Enter' });
    await panelShows(/A last frame needs a first frame too/, 'the mode saying the first frame is missing');
    await probe.webview('role=button[name="Remove panel-media/closing.jpg"]', 'press', { value: 'Enter' });
    await panelShows(/Mode: Text to video/, 'text mode once the slots are empty');
    const recent = (await probe.webview('#recent option', 'values')).values ?? [];
    assert.ok(recent.includes('A door opens onto a bright meadow'), `the last prompt is offered: ${recent.join(' | ')}`);
    await probe.webview(PROMPT, 'fill', { value: 'Fireflies over a pond at dusk' });
    const before = (await simulator.creates()).length;
    await probe.webview(PROMPT, 'press', { value: 'Control+Enter' });
    const text = await panelShows(/Queued as video_\w+/, 'the queued message');
    const creates = await probe.waitFor(() => simulator.creates(), (list) => list.length === before + 1, 'one POST');
    assert.deepEqual(creates.at(-1)!.body, { model: 'omni-fast', prompt: 'Fireflies over a pond at dusk', seconds: '8', aspect_ratio: '16:9' });
    assert.equal((await api.waitForJob(/Queued as (video_\w+)/.exec(text)![1])).status, 'completed');

    // The same panel in the dark and high-contrast themes (theme variables only): looked at in the screenshots.
    const workbench = vscode.workspace.getConfiguration('workbench');
    await vscode.commands.executeCommand('omniVideo.openPanel');
    await panelShows(/Mode: Text to video/, 'the panel in front again');
    try {
      for (const [theme, name] of [['Default Dark Modern', 'generation-panel-dark'], ['Default High Contrast', 'generation-panel-high-contrast']]) {
        await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await probe.screenshot(name);
      }
    } finally {
      await workbench.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the four slots line up whatever the length of their labels, and Preview Request shows the request with nothing sent', async function () {
    skipWithoutProbe(this);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('omniVideo.openPanel');
    await panelShows(/References \(up to 5\)/i, 'the panel');
    const tops = ((await probe.webview('.drop', 'boxes')).values ?? []).map((box) => Number(box.split(',')[0]));
    assert.equal(tops.length, 4);
    assert.ok(Math.max(...tops) - Math.min(...tops) <= 1, `the four drop zones start at the same height: ${tops.join(', ')}`);
    const before = (await simulator.creates()).length;
    await probe.webview('#drop-firstImage', 'drop', { uris: [copyFixture('frame-640x360.png', 'panel-media/preview-request.png').toString()] });
    await probe.webview(PROMPT, 'fill', { value: 'Preview request: the frame comes alive' });
    await probe.webview('role=button[name="Preview Request"]', 'click');
    const editor = await probe.waitFor(async () => vscode.window.activeTextEditor?.document, (d) => d?.uri.scheme === 'omni-video-request', 'the request in a JSON editor');
    const shown = JSON.parse(editor!.getText()) as { method: string; body: { first_image_url: { dataUri: boolean; mime: string; sha256: string } } };
    assert.equal(shown.method, 'POST');
    assert.equal(shown.body.first_image_url.dataUri, true);
    assert.equal(shown.body.first_image_url.mime, 'image/png');
    assert.match(shown.body.first_image_url.sha256, /^[0-9a-f]{64}$/);
    await probe.screenshot('panel-preview-request');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await simulator.creates()).length, before, 'nothing was sent');
  });
});
