// Shared by the two integration runners (runIntegration.ts: code-server + Chromium, runElectron.ts:
// desktop VS Code through @vscode/test-electron). Runs in plain Node, never in the extension host.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
/** The bundled mocha suite (scripts/build.mjs); VS Code loads `<this folder>/index.js`. */
export const suiteDir = path.join(repoRoot, 'out', 'test', 'suite');
export const extensionBundle = path.join(repoRoot, 'dist', 'extension.js');
export const RESULT_MARKER = 'OMNI_TEST_RESULT';

export interface RunDirs {
  runDir: string;
  userDataDir: string;
  extensionsDir: string;
  workspaceDir: string;
  screenshotsDir: string;
  /** The suite writes its counts here as JSON (env OMNI_TEST_RESULT_FILE). */
  resultFile: string;
}

export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
}

/**
 * A fresh `.vscode-test/runs/<timestamp>[-<kind>]/` with user-data/, extensions/ and workspace/.
 * Older runs beyond the newest OMNI_KEEP_RUNS (default 10) are deleted.
 */
export function createRunDir(kind?: string): RunDirs {
  const runsDir = path.join(repoRoot, '.vscode-test', 'runs');
  pruneRuns(runsDir, envNumber('OMNI_KEEP_RUNS', 10) - 1);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runDir = path.join(runsDir, kind ? `${stamp}-${kind}` : stamp);
  const dirs: RunDirs = {
    runDir,
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
    workspaceDir: path.join(runDir, 'workspace'),
    screenshotsDir: path.join(runDir, 'screenshots'),
    resultFile: path.join(runDir, 'result.json'),
  };
  for (const dir of [dirs.userDataDir, dirs.extensionsDir, dirs.workspaceDir, dirs.screenshotsDir]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  return dirs;
}

function pruneRuns(runsDir: string, keep: number): void {
  if (!fs.existsSync(runsDir)) {
    return;
  }
  const runs = fs
    .readdirSync(runsDir)
    .filter((name) => /^\d{4}-\d\d-\d\dT/.test(name))
    .sort();
  for (const name of runs.slice(0, Math.max(0, runs.length - keep))) {
    fs.rmSync(path.join(runsDir, name), { recursive: true, force: true });
  }
}

/** User settings for the test window: the extension talks to the simulator, the workbench stays quiet. */
/** `workspaceTrust`: trust on, no startup prompt, so the workspace opens in Restricted Mode. */
export function writeUserSettings(userDataDir: string, apiBaseUrl: string, pollIntervalSeconds = 1, workspaceTrust = false): string {
  const settings = {
    'omniVideo.baseUrl': apiBaseUrl,
    'omniVideo.pollIntervalSeconds': pollIntervalSeconds,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': workspaceTrust,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'window.zoomLevel': 0,
    // The run directory is inside this repository: without this, a "git repository found in the
    // parent folders" notification covers the bottom right of every screenshot.
    'git.openRepositoryInParentFolders': 'never',
    // code-server's extension host looks for new listening ports to forward by spawning a process
    // scan every few seconds (50–100 ms of the extension host's thread each time): the simulator and
    // the probe listen here, and the event-loop figures are to measure our work (docs/test-host.md).
    // code-server registers a tunnel provider, which keeps the scan going without auto-forwarding;
    // only a source other than 'process' stops it.
    'remote.autoForwardPorts': false,
    'remote.autoForwardPortsSource': 'output',
  };
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
  return file;
}

/**
 * The suite is one esbuild bundle, so test files are imported statically by allTests.ts. A test file
 * missing from it would silently never run: refuse to start instead.
 */
export function checkAllTestsListed(): void {
  const dir = path.join(repoRoot, 'test', 'integration');
  const allTests = fs.readFileSync(path.join(dir, 'allTests.ts'), 'utf8');
  const missing = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .filter((f) => !new RegExp(`import\\s+['"]\\./${escapeRegExp(f.replace(/\.ts$/, ''))}(\\.js|\\.ts)?['"]`).test(allTests));
  if (missing.length > 0) {
    throw new Error(`test/integration/allTests.ts does not import: ${missing.join(', ')} (add \`import './name.test';\`)`);
  }
}

export function checkBuilt(): void {
  for (const file of [extensionBundle, path.join(suiteDir, 'index.js')]) {
    if (!fs.existsSync(file)) {
      throw new Error(`${path.relative(repoRoot, file)} is missing: run \`npm run build\` first`);
    }
  }
}

/** Parses `OMNI_TEST_RESULT {"passed":1,"failed":0}` out of one line of output. */
export function parseResultLine(line: string): SuiteResult | undefined {
  const at = line.indexOf(RESULT_MARKER + ' ');
  if (at < 0) {
    return undefined;
  }
  return toResult(line.slice(at + RESULT_MARKER.length + 1).trim());
}

export function readResultFile(file: string): SuiteResult | undefined {
  try {
    return toResult(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function toResult(json: string): SuiteResult | undefined {
  try {
    const value = JSON.parse(json) as Partial<SuiteResult>;
    if (typeof value.passed === 'number' && typeof value.failed === 'number') {
      return { passed: value.passed, failed: value.failed, pending: typeof value.pending === 'number' ? value.pending : 0 };
    }
  } catch {
    // not JSON: no result
  }
  return undefined;
}

/**
 * The final plain line CI reads, and the exit code. Nothing run (no result, or no test matched)
 * counts as one failure.
 */
export function summarize(result: SuiteResult | undefined, suiteExitCode: number | undefined): { line: string; exitCode: number } {
  if (!result || result.passed + result.failed === 0) {
    return { line: 'integration: 0 passed, 1 failed', exitCode: 1 };
  }
  let failed = result.failed;
  if (failed === 0 && suiteExitCode !== undefined && suiteExitCode !== 0) {
    failed = 1; // the suite reported success but its run() rejected
  }
  const skipped = result.pending > 0 ? `, ${result.pending} skipped` : '';
  return { line: `integration: ${result.passed} passed, ${failed} failed${skipped}`, exitCode: failed > 0 ? 1 : 0 };
}

/** A positive number from the environment, or the fallback. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Files under `dir` (recursively) whose bytes contain `secret` as UTF-8 or UTF-16LE: the token scan
 * after each run covers the workspace, the logs (the Omni Video output channel included), VS Code's
 * user data and the browser profile.
 */
export function filesContaining(dir: string, secret: string): { scanned: number; found: string[] } {
  const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  const found: string[] = [];
  let scanned = 0;
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        scanned++;
        const bytes = fs.readFileSync(full);
        if (needles.some((needle) => bytes.includes(needle))) found.push(path.relative(dir, full));
      }
    }
  };
  walk(dir);
  return { scanned, found };
}
