// Runs the same integration suite in desktop VS Code 1.100.3 (Electron) through
// @vscode/test-electron: `npm run test:electron`. It needs to download VS Code from Microsoft's
// update servers (cached in .vscode-test/vscode-<platform>-1.100.3/), which machines without internet
// cannot: use `npm run test:integration` (code-server + Chromium) there, or point
// OMNI_VSCODE_EXECUTABLE at an installed VS Code. On Linux without a display, run it under
// `xvfb-run -a`.
//
// The simulator runs in this process; the suite gets the same environment as under the code-server
// runner except OMNI_PROBE_URL (there is no Playwright page), so browser-side checks skip.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests, TestRunFailedError } from '@vscode/test-electron';
import { startSimulator, type Simulator } from '../simulator/server';
import {
  checkAllTestsListed,
  checkBuilt,
  createRunDir,
  readResultFile,
  repoRoot,
  suiteDir,
  summarize,
  writeUserSettings,
} from './common';

const VSCODE_VERSION = '1.100.3';

async function resolveVSCode(): Promise<string> {
  const local = process.env.OMNI_VSCODE_EXECUTABLE;
  if (local) {
    if (!fs.existsSync(local)) {
      throw new Error(`OMNI_VSCODE_EXECUTABLE=${local} does not exist`);
    }
    return local;
  }
  try {
    return await downloadAndUnzipVSCode({
      version: VSCODE_VERSION,
      cachePath: path.join(repoRoot, '.vscode-test'),
      extensionDevelopmentPath: repoRoot,
      timeout: 30_000,
    });
  } catch (err) {
    throw new Error(
      `could not download VS Code ${VSCODE_VERSION} (${err instanceof Error ? err.message : String(err)}).\n` +
        '  This machine probably cannot reach Microsoft\'s update servers. Run the same suite in code-server\n' +
        '  with `npm run test:integration`, or set OMNI_VSCODE_EXECUTABLE to an installed VS Code binary.',
    );
  }
}

async function main(): Promise<number> {
  checkAllTestsListed();
  checkBuilt();
  const vscodeExecutablePath = await resolveVSCode();
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.warn('test:electron: no DISPLAY; VS Code needs one on Linux (try `xvfb-run -a npm run test:electron`)');
  }

  const dirs = createRunDir('electron');
  console.log(`test:electron: run directory ${path.relative(repoRoot, dirs.runDir)}`);
  const simLog = fs.createWriteStream(path.join(dirs.runDir, 'simulator.log'));
  let simulator: Simulator | undefined;
  let exitCode: number | undefined;
  try {
    simulator = await startSimulator({ host: '127.0.0.1', queuedMs: 600, processingMs: 2500, log: (line) => simLog.write(line + '\n') });
    writeUserSettings(dirs.userDataDir, simulator.apiBaseUrl);
    try {
      exitCode = await runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: suiteDir,
        launchArgs: [
          dirs.workspaceDir,
          '--disable-extensions',
          `--user-data-dir=${dirs.userDataDir}`,
          `--extensions-dir=${dirs.extensionsDir}`,
        ],
        extensionTestsEnv: {
          OMNI_SIM_API_URL: simulator.apiBaseUrl,
          OMNI_SIM_CONTROL_URL: simulator.controlUrl,
          OMNI_SIM_TOKEN: simulator.token,
          OMNI_TEST_WORKSPACE: dirs.workspaceDir,
          OMNI_TEST_RUN_DIR: dirs.runDir,
          OMNI_TEST_RESULT_FILE: dirs.resultFile,
          OMNI_PROBE_URL: undefined,
        },
      });
    } catch (err) {
      if (!(err instanceof TestRunFailedError)) {
        throw err;
      }
      console.error(`test:electron: ${err.message}`);
      exitCode = typeof err.code === 'number' ? err.code : 1;
    }
  } finally {
    await simulator?.close().catch(() => undefined);
    simLog.end();
  }

  const summary = summarize(readResultFile(dirs.resultFile), exitCode);
  console.log(summary.line.replace(/^integration:/, 'electron:'));
  return summary.exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
    console.log('electron: 0 passed, 1 failed');
    process.exit(1);
  },
);
