// Runs the integration suite (out/test/suite, from test/integration/) inside a real VS Code 1.100.3:
// code-server (installed by .ci/install-code-server.sh) serves the workbench, Debian's Chromium
// driven by playwright-core opens it with the extension under development and the tests module in
// the URL payload, and the suite runs in code-server's Node extension host. See
// docs/test-host.md.
//
//   npm run test:integration                  # build, then this
//   OMNI_TEST_GREP='status bar' npm run test:integration
//   OMNI_KEEP_OPEN=1 npm run test:integration # leave code-server up afterwards, print its URL
//   OMNI_TEST_TIMEOUT_MS=300000 ...           # overall timeout (default 15 min)
//   OMNI_TEST_RELOAD=navigate ...             # window reloads by navigation (the browser's reload)
//                                             # instead of Developer: Reload Window; the workbench
//                                             # then often loses its editor layout (open previews)
//
// A test can span a window reload (test/integration/windowReload.ts, reload.test.ts): at the end of
// phase 1 the suite tells the probe (POST /reload) and runs Developer: Reload Window, which reloads
// this same page at the same URL (or asks this runner to navigate it there again, like the browser's
// own reload). The first extension host goes away without settling its run(); the tests module runs
// again in the new one (phase 2), whose codeAutomationExit and counts (both phases together) end
// the run. The run fails if the page does not reload within 20 s of the request.
//
// Everything a run writes goes under .vscode-test/runs/<timestamp>/: user-data/, extensions/,
// workspace/, screenshots/, browser-profile/, code-server.log, simulator.log, result.json,
// failure.png. The last line printed is `integration: N passed, M failed`.
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../simulator/server';
import {
  checkAllTestsListed,
  checkBuilt,
  createRunDir,
  envNumber,
  filesContaining,
  parseResultLine,
  readResultFile,
  repoRoot,
  suiteDir,
  summarize,
  writeUserSettings,
  type RunDirs,
  type SuiteResult,
} from './common';
import { CODE_SERVER_VERSION, codeServerBin, freePort, startCodeServer, stopProcessGroup, waitForCodeServer } from './codeServer';
import { installChineseLanguagePack } from './languagePack';
import { startProbeServer, type ProbeServer } from './probe';

const CHROMIUM = process.env.OMNI_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Errors of the closed network (see docs/test-host.md): the marketplace, telemetry, vsda. */
const HARMLESS = /open-vsx\.org|vsda|ENOTFOUND .*(telemetry|visualstudio|microsoft|github)/i;

/** OMNI_KEEP_OPEN=1 leaves code-server up after the suite (never under CI, which would hang). */
const keepOpen = process.env.OMNI_KEEP_OPEN === '1' && !process.env.CI;

/** One reload per run: the suite's marker file (windowReload.ts) carries one hand-over. */
const MAX_RELOADS = 1;

const startedAt = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const log = (message: string) => console.log(`[runner +${seconds(startedAt)}] ${message}`);

interface Resources {
  simulator?: Simulator;
  probe?: ProbeServer;
  codeServer?: ChildProcess;
  context?: BrowserContext;
}
const resources: Resources = {};

/**
 * A pass is one code-server + browser session. The main pass runs with workspace trust disabled (as
 * most of the suite assumes); the restricted pass starts VS Code with workspace trust on and the
 * workspace not trusted (Restricted Mode) and runs only the tests written for it.
 */
interface Pass {
  name: string;
  workspaceTrust: 'disabled' | 'restricted';
  grep?: string;
  /** The display language of the workbench (the zh-cn pass), English otherwise. */
  locale?: 'zh-cn';
}

/** The suite's describe() title of the tests that run in the restricted pass (restricted.test.ts). */
const RESTRICTED_SUITE = 'Restricted Mode';
/** The describe() title of the tests that run in the Chinese pass (zhCn.test.ts). */
const CHINESE_SUITE = 'In Simplified Chinese';

function passesToRun(): Pass[] {
  const grep = process.env.OMNI_TEST_GREP || undefined;
  const wantsRestricted = !grep || new RegExp(grep).test(RESTRICTED_SUITE);
  const passes: Pass[] = [];
  // OMNI_TEST_GREP='Restricted' runs only the restricted pass; 'Security|Restricted' runs both.
  if (!grep || !/^(restricted|in simplified chinese)/i.test(grep)) passes.push({ name: 'main', workspaceTrust: 'disabled', grep });
  if (wantsRestricted) passes.push({ name: 'restricted', workspaceTrust: 'restricted', grep: RESTRICTED_SUITE });
  if (!grep || new RegExp(grep).test(CHINESE_SUITE)) passes.push({ name: 'zh-cn', workspaceTrust: 'disabled', grep: CHINESE_SUITE, locale: 'zh-cn' });
  return passes;
}

async function main(): Promise<number> {
  checkAllTestsListed();
  checkBuilt();
  if (!fs.existsSync(codeServerBin)) {
    throw new Error(`code-server is not installed at ${path.relative(repoRoot, codeServerBin)}: run \`bash .ci/install-code-server.sh\``);
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set OMNI_CHROMIUM)`);
  }
  const total: SuiteResult = { passed: 0, failed: 0, pending: 0 };
  let exitCode = 0;
  for (const pass of passesToRun()) {
    log(`pass "${pass.name}" (workspace trust ${pass.workspaceTrust}${pass.grep ? `, tests matching "${pass.grep}"` : ''})`);
    const { result, code } = await runPass(pass);
    const summary = summarize(result, code);
    log(`pass "${pass.name}": ${summary.line.replace(/^integration: /, '')}`);
    total.passed += result?.passed ?? 0;
    total.failed += summary.exitCode !== 0 ? Math.max(1, result?.failed ?? 0) : 0;
    total.pending += result?.pending ?? 0;
    if (summary.exitCode !== 0) exitCode = 1;
  }
  const summary = summarize(total, exitCode);
  console.log(summary.line);
  return summary.exitCode;
}

async function runPass(pass: Pass): Promise<{ result: SuiteResult | undefined; code: number }> {
  const timeoutMs = envNumber('OMNI_TEST_TIMEOUT_MS', 15 * 60_000);
  const dirs = createRunDir();
  log(`run directory ${path.relative(repoRoot, dirs.runDir)}`);

  const simLog = fs.createWriteStream(path.join(dirs.runDir, 'simulator.log'));
  const simulator = await startSimulator({ host: '127.0.0.1', queuedMs: 600, processingMs: 2500, log: (line) => simLog.write(line + '\n') });
  resources.simulator = simulator;
  log(`simulator at ${simulator.apiBaseUrl}`);
  writeUserSettings(dirs.userDataDir, simulator.apiBaseUrl, 1, pass.workspaceTrust === 'restricted');
  if (pass.locale === 'zh-cn') installChineseLanguagePack(dirs);

  const workbench: { page?: Page; expectReload?: (navigate: boolean) => void } = {};
  let probeResult: SuiteResult | undefined;
  let reloads = 0;
  const probe = await startProbeServer({
    getPage: () => workbench.page,
    runDir: dirs.runDir,
    repoRoot,
    onResult: (result) => (probeResult = result),
    onReload: ({ reason, phase1, navigate }) => {
      const expectReload = workbench.expectReload;
      if (!expectReload) {
        throw new Error('the workbench is not open');
      }
      if (reloads >= MAX_RELOADS) {
        throw new Error(`the window was already reloaded ${reloads} time(s) in this run (at most ${MAX_RELOADS})`);
      }
      reloads += 1;
      const done = phase1 ? `phase 1: ${phase1.passed} passed, ${phase1.failed} failed, ${phase1.pending} skipped; ` : '';
      log(`${done}${navigate ? 'navigating to the workbench again' : 'the suite reloads the window'} for "${reason}"`);
      expectReload(navigate);
      return reloads;
    },
  });
  resources.probe = probe;
  log(`probe at ${probe.url}`);

  const port = await freePort();
  const codeServerStart = Date.now();
  const codeServer = startCodeServer(dirs, port, pass.workspaceTrust === 'restricted', {
    OMNI_TEST_GREP: pass.grep ?? '',
    OMNI_TEST_LOCALE: pass.locale ?? '',
    OMNI_WORKSPACE_TRUST: pass.workspaceTrust,
    OMNI_SIM_API_URL: simulator.apiBaseUrl,
    OMNI_SIM_CONTROL_URL: simulator.controlUrl,
    OMNI_SIM_TOKEN: simulator.token,
    OMNI_PROBE_URL: probe.url,
    OMNI_TEST_WORKSPACE: dirs.workspaceDir,
    OMNI_TEST_RUN_DIR: dirs.runDir,
    OMNI_TEST_RESULT_FILE: dirs.resultFile,
  });
  resources.codeServer = codeServer;
  const origin = `http://127.0.0.1:${port}`;
  await waitForCodeServer(origin, codeServer, 60_000);
  log(`code-server ${CODE_SERVER_VERSION} listening at ${origin} after ${seconds(codeServerStart)}`);

  // The suite's outcome: codeAutomationExit(code) once its run() settles; the counts come as a
  // marker line on the extension host's console, through the probe, and in result.json.
  let markerResult: SuiteResult | undefined;
  let settle: (outcome: { code?: number; reason?: string }) => void = () => undefined;
  const outcome = new Promise<{ code?: number; reason?: string }>((resolve) => (settle = resolve));
  const timer = setTimeout(() => settle({ reason: `timed out after ${timeoutMs / 1000}s (OMNI_TEST_TIMEOUT_MS)` }), timeoutMs);
  codeServer.once('exit', (code, signal) => settle({ reason: `code-server exited early (${signal ?? code})` }));

  const context = await chromium.launchPersistentContext(path.join(dirs.runDir, 'browser-profile'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1600, height: 1000 },
  });
  resources.context = context;
  const page = context.pages()[0] ?? (await context.newPage());
  workbench.page = page;
  page.on('crash', () => settle({ reason: 'the workbench page crashed' }));
  page.on('pageerror', (err) => fs.appendFileSync(path.join(dirs.runDir, 'page-errors.log'), `${err.stack ?? err.message}\n`));
  // What the webviews' host frames say while they start (waiting for their service worker, see
  // docs/test-host.md), with the time: webview-console.log in the run directory.
  page.on('console', (message) => {
    if (message.location().url.includes('/webview/browser/pre/')) {
      fs.appendFileSync(path.join(dirs.runDir, 'webview-console.log'), `${new Date().toISOString()} [${message.type()}] ${message.text()}\n`);
    }
  });

  // The workbench's console (the extension host's console.log among it: mocha's report) arrives
  // here as (level, console arguments). All of it goes to workbench-console.log; stdout gets all but
  // the closed network's known noise.
  const consoleLog = path.join(dirs.runDir, 'workbench-console.log');
  await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
    const text = formatLog(args);
    fs.appendFileSync(consoleLog, `[${String(type)}] ${text}\n`);
    const result = parseResultLine(text);
    if (result) {
      markerResult = result;
    }
    if (!HARMLESS.test(text)) {
      (type === 'error' ? process.stderr : process.stdout).write(text.endsWith('\n') ? text : text + '\n');
    }
  });
  await page.exposeFunction('codeAutomationExit', (code: unknown, logs: unknown) => {
    saveBrowserLogs(dirs, logs);
    settle({ code: typeof code === 'number' ? code : Number(code) || 0 });
  });

  const workbenchUrl = `${origin}/?folder=${encodeURIComponent(dirs.workspaceDir)}`;
  const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(repoRoot)],
    ['extensionTestsPath', remote(suiteDir)],
    ['skipWelcome', 'true'],
  ];
  const testUrl = `${workbenchUrl}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const suiteStart = Date.now();
  log('opening the workbench; the suite runs in its extension host');
  await page.goto(testUrl);

  // A window reload: the same page, the same profile, the same URL (payload included, so the new
  // extension host runs the tests module again). The page must load again within 20 s, and phase 2
  // must then finish within reloadTimeoutMs.
  const reloadTimeoutMs = envNumber('OMNI_RELOAD_TIMEOUT_MS', 5 * 60_000);
  let reloadTimer: NodeJS.Timeout | undefined;
  workbench.expectReload = (navigate) => {
    const reloadStart = Date.now();
    reloadTimer = setTimeout(() => settle({ reason: `no result ${reloadTimeoutMs / 1000}s after the window reload (OMNI_RELOAD_TIMEOUT_MS)` }), reloadTimeoutMs);
    page.waitForEvent('load', { timeout: 20_000 }).then(
      () => log(`workbench reloaded in ${seconds(reloadStart)}; the tests module runs again in a new extension host`),
      (err: unknown) => settle({ reason: `the window did not reload: ${err instanceof Error ? err.message : String(err)}` }),
    );
    if (navigate) {
      // After the probe's answer has left: the extension host that asked goes away.
      setTimeout(() => page.goto(testUrl).catch((err: unknown) => settle({ reason: `navigating to the workbench again failed: ${String(err)}` })), 200);
    }
  };

  const { code, reason } = await outcome;
  clearTimeout(timer);
  clearTimeout(reloadTimer);
  const result = readResultFile(dirs.resultFile) ?? probeResult ?? markerResult ?? resultFromExtHostLog(dirs);
  const summary = summarize(result, code ?? 1);
  const reloaded = reloads > 0 ? ` (${reloads} window reload${reloads > 1 ? 's' : ''}; counts of both phases)` : '';
  log(`suite ${reason ? 'did not finish' : `exited with code ${code}`} after ${seconds(suiteStart)}${reloaded}`);

  if (reason || summary.exitCode !== 0) {
    if (reason) {
      console.error(`integration: ${reason}`);
    }
    await failureReport(dirs, page);
  }

  // The key the suite used must not be in any file of the run: logs, workspace, sidecars, storage.
  await resources.context?.close().catch(() => undefined);
  resources.context = undefined;
  const scan = filesContaining(dirs.runDir, simulator.token);
  log(`token scan: ${scan.scanned} files under the run directory, the API key found in ${scan.found.length}`);
  if (scan.found.length > 0) {
    console.error(`integration: the API key was written to ${scan.found.join(', ')}`);
    summary.exitCode = 1;
  }

  if (keepOpen) {
    // The same window with the extension under development, without running the tests again.
    const devUrl = `${workbenchUrl}&payload=${encodeURIComponent(JSON.stringify([payload[0], payload[2]]))}`;
    console.log(`\nOMNI_KEEP_OPEN=1: code-server stays up (and the simulator at ${simulator.apiBaseUrl}); open`);
    console.log(`  ${devUrl}`);
    console.log(`  (run directory ${dirs.runDir}); press Ctrl+C to stop`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }

  await cleanup();
  return { result, code: summary.exitCode === 0 ? (code ?? 1) : 1 };
}

/** codeAutomationLog gets console.log's arguments, format string first (mocha's reporter uses %s, %d). */
function formatLog(args: unknown): string {
  return Array.isArray(args) ? util.format(...(args as unknown[])) : util.format(args);
}

/** codeAutomationExit's second argument: the workbench's own logs (they live in the browser). */
function saveBrowserLogs(dirs: RunDirs, logs: unknown): void {
  if (!Array.isArray(logs)) {
    return;
  }
  const root = path.join(dirs.runDir, 'browser-logs');
  for (const entry of logs as { relativePath?: unknown; contents?: unknown }[]) {
    if (typeof entry?.relativePath !== 'string' || typeof entry.contents !== 'string') {
      continue;
    }
    const file = path.resolve(root, entry.relativePath);
    if (!file.startsWith(root + path.sep)) {
      continue;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, entry.contents);
  }
}

function extHostLogs(dirs: RunDirs): string[] {
  const logsDir = path.join(dirs.userDataDir, 'logs');
  if (!fs.existsSync(logsDir)) {
    return [];
  }
  // One exthostN/ per extension host: a window reload starts exthost2/.
  return fs
    .readdirSync(logsDir)
    .sort()
    .flatMap((session) =>
      fs
        .readdirSync(path.join(logsDir, session))
        .filter((name) => /^exthost\d+$/.test(name))
        .sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)))
        .map((host) => path.join(logsDir, session, host, 'remoteexthost.log')),
    )
    .filter((file) => fs.existsSync(file));
}

function resultFromExtHostLog(dirs: RunDirs): SuiteResult | undefined {
  let result: SuiteResult | undefined;
  for (const file of extHostLogs(dirs)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      result = parseResultLine(line) ?? result;
    }
  }
  return result;
}

async function failureReport(dirs: RunDirs, page: Page | undefined): Promise<void> {
  if (page && !page.isClosed()) {
    const file = path.join(dirs.runDir, 'failure.png');
    try {
      await page.screenshot({ path: file, timeout: 15_000 });
      console.error(`integration: screenshot of the workbench: ${file}`);
    } catch (err) {
      console.error(`integration: could not take a failure screenshot: ${String(err)}`);
    }
  }
  const logs = extHostLogs(dirs);
  if (logs.length === 0) {
    console.error(`integration: no extension host log under ${path.join(dirs.userDataDir, 'logs')}`);
  }
  for (const file of logs) {
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    console.error(`integration: last ${Math.min(80, lines.length)} lines of ${file}:`);
    console.error(lines.slice(-80).join('\n'));
  }
  console.error(`integration: code-server's output: ${path.join(dirs.runDir, 'code-server.log')}`);
}

async function cleanup(): Promise<void> {
  const { context, codeServer, probe, simulator } = resources;
  resources.context = resources.codeServer = resources.probe = resources.simulator = undefined;
  await context?.close().catch(() => undefined);
  if (codeServer) {
    await stopProcessGroup(codeServer);
  }
  await probe?.close().catch(() => undefined);
  await simulator?.close().catch(() => undefined);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (keepOpen && resources.context === undefined && resources.codeServer) {
      return; // main() is waiting for this signal to clean up
    }
    if (interrupted) {
      process.exit(130);
    }
    interrupted = true;
    console.error(`integration: ${signal}, stopping`);
    void cleanup().finally(() => {
      console.log('integration: 0 passed, 1 failed');
      process.exit(130);
    });
  });
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(`integration: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await cleanup().catch(() => undefined);
    console.log('integration: 0 passed, 1 failed');
    process.exit(1);
  },
);
