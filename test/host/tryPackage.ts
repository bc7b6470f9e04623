// `npm run try-package`: the packaged omni-video.vsix as a new user meets it. It is installed into a
// fresh code-server (no development path, production bundle), the workbench opens in Chromium, and
// the user's first video is made from the command palette against the local simulator: the prompt
// typed, Enter for the duration and the aspect ratio; then the status bar, the saved file and the
// preview playing are checked. Screenshots go to the run directory.
//
//   npm run package && npm run try-package
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Frame, type Page } from 'playwright-core';
import { startSimulator } from '../simulator/server';
import { codeServerBin, freePort, startCodeServer, stopProcessGroup, waitForCodeServer } from './codeServer';
import { createRunDir, repoRoot, writeUserSettings } from './common';

const run = promisify(execFile);
const vsix = path.join(repoRoot, 'omni-video.vsix');
const log = (message: string) => console.log(`[try-package] ${message}`);

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch(() => undefined as T);
    if (last !== undefined && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 300)}`);
}

async function videos(page: Page): Promise<{ readyState: number; currentTime: number; src: string }[]> {
  const all = await Promise.all(
    page.frames().map((frame: Frame) =>
      frame
        .$$eval('video', (els) => els.map((el) => el as unknown as { readyState: number; currentTime: number; currentSrc: string }).map((v) => ({ readyState: v.readyState, currentTime: v.currentTime, src: v.currentSrc })))
        .catch(() => []),
    ),
  );
  return all.flat();
}

async function main(): Promise<void> {
  if (!fs.existsSync(vsix)) throw new Error('omni-video.vsix is missing: run `npm run package` first');
  const dirs = createRunDir('try-package');
  const simulator = await startSimulator({ queuedMs: 1500, processingMs: 4000 });
  writeUserSettings(dirs.userDataDir, simulator.apiBaseUrl, 1);
  await run(codeServerBin, ['--extensions-dir', dirs.extensionsDir, '--user-data-dir', dirs.userDataDir, '--install-extension', vsix]);
  log(`installed ${path.basename(vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KB) into ${path.relative(repoRoot, dirs.extensionsDir)}`);
  const port = await freePort();
  const codeServer = startCodeServer(dirs, port, false, { OMNI_VIDEO_API_KEY: simulator.token });
  const origin = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: process.env.OMNI_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
  try {
    await waitForCodeServer(origin, codeServer, 60_000);
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${origin}/?folder=${encodeURIComponent(dirs.workspaceDir)}`);
    await page.waitForSelector('.part.statusbar', { timeout: 60_000 });
    await page.waitForTimeout(3000); // extensions activate after startup
    await page.keyboard.press('F1');
    await page.keyboard.type('Omni Video: Generate Video from Prompt');
    await page.waitForSelector('.quick-input-list .monaco-list-row:has-text("Generate Video from Prompt")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-title:has-text("(1/3)")');
    await page.keyboard.type('A lighthouse on a cliff at dusk, waves below, slow aerial orbit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-title:has-text("(2/3)")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-title:has-text("(3/3)")');
    await page.keyboard.press('Enter');
    const bar = await until('the job in the status bar', () => page.locator('.part.statusbar .statusbar-item').allInnerTexts(), (items) => items.some((t) => /Omni Video: 1 (queued|generating)/.test(t)));
    log(`status bar: "${bar.find((t) => t.includes('Omni Video'))}"`);
    await page.screenshot({ path: path.join(dirs.screenshotsDir, 'vsix-generating.png') });
    const saved = await until('the MP4 in videos/', async () => (fs.existsSync(path.join(dirs.workspaceDir, 'videos')) ? fs.readdirSync(path.join(dirs.workspaceDir, 'videos')) : []), (files) => files.some((f) => f.endsWith('.mp4')) && files.some((f) => f.endsWith('.json')), 60_000);
    log(`saved: ${saved.join(', ')}`);
    const playing = await until('the preview to play', () => videos(page), (list) => list.some((v) => v.readyState >= 3 && v.currentTime > 0.2), 30_000);
    log(`preview: readyState ${playing[0].readyState}, currentTime ${playing[0].currentTime.toFixed(2)}`);
    await page.screenshot({ path: path.join(dirs.screenshotsDir, 'vsix-preview.png') });
    const creates = simulator.requests.filter((r) => r.origin === 'api' && r.method === 'POST').length;
    if (creates !== 1) throw new Error(`expected exactly one POST, saw ${creates}`);
    const extensionLog = (fs.readdirSync(path.join(dirs.userDataDir, 'logs'), { recursive: true }) as string[]).find((f) => f.endsWith('Omni Video.log'));
    const activation = extensionLog && /activate\(\) took [\d.]+ ms/.exec(fs.readFileSync(path.join(dirs.userDataDir, 'logs', extensionLog), 'utf8'))?.[0];
    log(`one POST; ${activation ?? 'no activation line found'}; screenshots in ${path.relative(repoRoot, dirs.screenshotsDir)}`);
  } finally {
    await browser.close();
    await stopProcessGroup(codeServer);
    await simulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(`[try-package] FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
