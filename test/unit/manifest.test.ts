import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ids from '../../src/shared/ids';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
const manifest = read('package.json');
const bundles: Record<string, Record<string, string>> = { en: read('package.nls.json'), 'zh-cn': read('package.nls.zh-cn.json') };
const commands = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));
/** VS Code's own commands that our links may run. */
const BUILT_IN = new Set(['workbench.action.openWalkthrough']);

/** A manifest string as VS Code shows it in one language: `%key%` replaced from that bundle. */
const localized = (value: string, bundle: Record<string, string>) => value.replace(/^%([^%]+)%$/, (_m, key: string) => bundle[key] ?? `<missing ${key}>`);

describe('Manifest: walkthrough, welcome view and command links', () => {
  for (const [language, bundle] of Object.entries(bundles)) {
    it(`every command: link in the ${language} strings runs a command that exists`, () => {
      const links = Object.values(bundle).flatMap((text) => [...text.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]));
      assert.ok(links.length >= 8, `links found: ${links.length}`);
      assert.deepEqual(links.filter((id) => !commands.has(id) && !BUILT_IN.has(id)), []);
    });

    it(`every walkthrough step has a title, a description with an action, and media that exists (${language})`, () => {
      const [walkthrough] = manifest.contributes.walkthroughs;
      assert.equal(walkthrough.id, 'omniVideo.gettingStarted');
      assert.equal(walkthrough.steps.length, 4);
      for (const step of walkthrough.steps) {
        assert.ok(localized(step.title, bundle).length > 3, step.id);
        assert.match(localized(step.description, bundle), /\]\(command:omniVideo\./, `${step.id} offers an action`);
        const media = localized(step.media.image ?? step.media.markdown, bundle);
        assert.ok(existsSync(path.join(root, media)), `${step.id}: ${media} exists`);
        if (step.media.image) assert.ok(localized(step.media.altText, bundle).length > 10, `${step.id} has alt text`);
        assert.ok(step.completionEvents.length > 0, `${step.id} completes on something the user does`);
      }
    });
  }

  it('the walkthrough link in the welcome view opens our walkthrough', () => {
    const link = /command:workbench\.action\.openWalkthrough\?([^)\s]+)/.exec(bundles.en['view.jobs.welcome.noKey'])![1];
    assert.deepEqual(JSON.parse(decodeURIComponent(link)), ['omni-video.omni-video#omniVideo.gettingStarted', false]);
  });
});

describe('Manifest: the ids and file types the code shares with package.json (src/shared/ids.ts)', () => {
  it('every webview the code restores is activated for, the custom editor and the jobs view have their ids', () => {
    for (const viewType of [ids.PREVIEW_VIEW_TYPE, ids.PANEL_VIEW_TYPE, ids.GALLERY_VIEW_TYPE]) {
      assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${viewType}`), viewType);
    }
    assert.deepEqual(manifest.contributes.customEditors.map((e: { viewType: string }) => e.viewType), [ids.VIDEO_EDITOR_VIEW_TYPE]);
    assert.deepEqual(
      manifest.contributes.customEditors[0].selector.map((s: { filenamePattern: string }) => s.filenamePattern),
      ids.VIDEO_EXTENSIONS.map((e) => `*.${e}`),
    );
    assert.deepEqual(manifest.contributes.views.omniVideo.map((v: { id: string }) => v.id), [ids.JOBS_VIEW_ID]);
  });

  it('the explorer menus offer images and videos exactly for the file types the commands take', () => {
    const matches = (when: string, extension: string) => new RegExp(/resourceExtname =~ \/(.*?)\/i/.exec(when)![1], 'i').test(`.${extension}`);
    const menus = manifest.contributes.menus['explorer/context'] as { command: string; when: string }[];
    const candidates = [...ids.IMAGE_EXTENSIONS, ...ids.VIDEO_EXTENSIONS, 'txt', 'mkv', 'bmp'];
    for (const { command, when } of menus) {
      const wanted = command === 'omniVideo.editVideo' || command === 'omniVideo.openPreview' ? ids.VIDEO_EXTENSIONS : ids.IMAGE_EXTENSIONS;
      assert.deepEqual(candidates.filter((e) => matches(when, e)), [...wanted], command);
    }
  });
});

describe('Manifest: the walkthrough ticks whichever way its commands run', () => {
  it('each step completes on the commands that do it, and on the context key the extension sets when one of them ran', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.equal(walkthrough.id, ids.WALKTHROUGH_ID, 'the id its steps are marked done under');
    for (const step of walkthrough.steps as { id: string; completionEvents: string[] }[]) {
      const commandsOfStep = step.completionEvents.filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
      assert.deepEqual(commandsOfStep, [...ids.WALKTHROUGH_STEP_COMMANDS[step.id]], step.id);
      assert.ok(step.completionEvents.includes(`onContext:${ids.walkthroughContextKey(step.id)}`), `${step.id} completes on ${ids.walkthroughContextKey(step.id)}`);
      for (const command of commandsOfStep) assert.ok(commands.has(command), `${command} exists`);
    }
  });
});
