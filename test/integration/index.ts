// The integration suite's entry, loaded by VS Code's extension host (`extensionTestsPath` =
// out/test/suite, i.e. this file bundled to out/test/suite/index.js by scripts/build.mjs) under both
// runners: test/host/runIntegration.ts (code-server + Chromium) and test/host/runElectron.ts.
//
// The suite is ONE esbuild bundle, so test files cannot be globbed at run time: allTests.ts imports
// each *.test.ts. It is imported only after mocha's `pre-require` has put describe/it/before/... on
// the global object (esbuild evaluates a dynamically imported bundled module lazily, on import).
//
// A run can span a window reload (windowReload.ts): phase 1 runs the whole suite; when a test asked
// for a reload, run() then hands its counts over in the marker file, asks the runner to reload the
// window and never settles (this extension host goes away). The tests module then runs again in the
// new extension host (phase 2), runs only the tests written for after the reload, and reports the
// counts of both phases together.
import * as fs from 'node:fs';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { probe } from './probe';
import { PHASE_2_GREP, PHASE_2_SUITE, readReloadState, writeReloadState, type ReloadState, type SuiteCounts } from './windowReload';

export const RESULT_MARKER = 'OMNI_TEST_RESULT';

/** How long phase 1 waits for the runner's reload to end this extension host. */
const RELOAD_GRACE_MS = 60_000;

/**
 * What the workbench showed when a test failed, as `screenshots/<failed|retried>-<test>.png` in the
 * run directory, and where its webviews were: a flaky browser-driven test is then seen, not guessed at. Not awaited: the retry
 * starts meanwhile, and its first steps (a job, seconds long) leave the screen as it was.
 */
function failureScreenshot(test: Mocha.Test, outcome: 'failed' | 'retried'): void {
  if (!probe.available || test.type !== 'test') return;
  const slug = test.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
  probe.screenshot(`${outcome}-${slug}`).then(
    (file) => console.log(`      screenshot of the failure: ${file}`),
    () => undefined,
  );
  probe.webviewFrames().then(
    (state) => console.log(`      webviews at the failure: ${JSON.stringify(state)}`),
    () => undefined,
  );
}

export async function run(): Promise<void> {
  const reload = startPhase();
  const phase2 = reload !== undefined;
  const grep = phase2 ? PHASE_2_GREP : process.env.OMNI_TEST_GREP || undefined;
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    grep,
    // A browser-driven test can lose a race with the workbench on a busy machine (a webview slow to
    // start, a redraw under a click): a failed test runs once more, and says so in the output, so
    // that a flaky one is seen and a broken one still fails. OMNI_TEST_RETRIES=0 turns it off.
    retries: Number(process.env.OMNI_TEST_RETRIES ?? 1),
  });

  const file = 'omni-video-integration-bundle';
  mocha.suite.emit('pre-require', globalThis, file, mocha);
  await import('./allTests');
  mocha.suite.emit('require', undefined, file, mocha);
  mocha.suite.emit('post-require', globalThis, file, mocha);

  const stats = await new Promise<SuiteCounts>((resolve) => {
    const runner = mocha.run(() => {
      resolve({
        passed: runner.stats?.passes ?? 0,
        failed: runner.stats?.failures ?? 0,
        pending: runner.stats?.pending ?? 0,
      });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_RETRY, (test: Mocha.Test, error: Error) => {
      console.log(`      ↻ retrying "${test.title}" after: ${String(error?.message ?? error).split('\n')[0].slice(0, 300)}`);
      failureScreenshot(test, 'retried');
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test: Mocha.Test) => failureScreenshot(test, 'failed'));
  });

  if (!phase2) {
    const requested = readReloadState();
    if (requested?.status === 'requested') {
      return reloadWindow(requested, stats); // settles only if the reload failed
    }
  }

  let total = stats;
  if (reload) {
    const phase1 = reload.phase1 ?? { passed: 0, failed: 0, pending: 0 };
    total = { passed: phase1.passed + stats.passed, failed: phase1.failed + stats.failed, pending: phase1.pending + stats.pending };
    console.log(`  phase 1 (before the reload): ${counts(phase1)}; phase 2 (after it): ${counts(stats)}`);
  }
  await report(total);
  if (total.failed > 0) {
    throw new Error(`${total.failed} integration test(s) failed`);
  }
  if (phase2 && stats.passed + stats.pending === 0) {
    throw new Error(`"${reload.requestedBy}" asked for a window reload, but no "${PHASE_2_SUITE}" test ran after it`);
  }
  if (total.passed + total.pending === 0) {
    throw new Error(grep ? `no integration test matched OMNI_TEST_GREP=${String(grep)}` : 'no integration test ran');
  }
}

/** Phase 2 (returns the marker's state) when phase 1 handed over to this extension host; else phase 1. */
function startPhase(): ReloadState | undefined {
  const state = readReloadState();
  if (!state) {
    return undefined;
  }
  if (state.status !== 'reloading') {
    // 'requested': the window reloaded before phase 1's run() asked for it; 'resumed': after phase 2 began.
    const error = `the window reloaded unexpectedly (reload marker status "${state.status}", requested by "${state.requestedBy}")`;
    const phase1 = state.phase1 ?? { passed: 0, failed: 0, pending: 0 };
    void report({ ...phase1, failed: phase1.failed + 1 });
    throw new Error(error);
  }
  writeReloadState({ ...state, status: 'resumed', phase2Pid: process.pid, phase2StartedAt: Date.now() });
  const waited = state.reloadAt ? ` ${((Date.now() - state.reloadAt) / 1000).toFixed(1)} s after the reload was asked for` : '';
  console.log(`\n  phase 2: the window was reloaded; extension host pid ${process.pid} (phase 1: ${state.phase1Pid})${waited}`);
  return readReloadState();
}

/**
 * End of phase 1: records its counts in the marker, tells the runner and reloads the window. The
 * reload ends this extension host, so this normally never settles.
 */
async function reloadWindow(state: ReloadState, stats: SuiteCounts): Promise<void> {
  try {
    if (!probe.available) {
      throw new Error(`"${state.requestedBy}" asked for a window reload, which only the code-server runner (its probe) can do`);
    }
    writeReloadState({ ...state, status: 'reloading', phase1: stats, phase1Pid: process.pid, reloadAt: Date.now() });
    console.log(`  phase 1: ${counts(stats)}; reloading the window for "${state.requestedBy}" (extension host pid ${process.pid})`);
    // By default a user's Developer: Reload Window: it saves the workbench's state (editor layout,
    // webview state) and then reloads the page. OMNI_TEST_RELOAD=navigate has the runner navigate
    // instead, like the browser's reload button: the workbench then saves its state while the page
    // unloads, which the browser may cut short (editor layout from before the last changes was seen).
    const navigate = process.env.OMNI_TEST_RELOAD === 'navigate';
    await probe.reload({ reason: state.requestedBy, phase1: stats, navigate });
    if (!navigate) {
      void vscode.commands.executeCommand('workbench.action.reloadWindow'); // never answers: this extension host goes away
    }
  } catch (err) {
    await report({ ...stats, failed: stats.failed + 1 });
    throw err;
  }
  await new Promise((resolve) => setTimeout(resolve, RELOAD_GRACE_MS));
  if (readReloadState()?.status !== 'reloading') {
    // Phase 2 has started in another extension host: this one is left over. Its result is not ours to report.
    console.error(`  extension host ${process.pid} is still running ${RELOAD_GRACE_MS / 1000} s after the reload`);
    return new Promise<void>(() => undefined);
  }
  await report({ ...stats, failed: stats.failed + 1 });
  throw new Error(`asked the runner to reload the window ${RELOAD_GRACE_MS / 1000} s ago, but no new extension host has started phase 2`);
}

function counts(stats: SuiteCounts): string {
  return `${stats.passed} passed, ${stats.failed} failed, ${stats.pending} skipped`;
}

/** Tells the runner the counts three ways: a marker line on the console, a file, the probe. */
async function report(stats: SuiteCounts): Promise<void> {
  console.log(`${RESULT_MARKER} ${JSON.stringify(stats)}`);
  const resultFile = process.env.OMNI_TEST_RESULT_FILE;
  if (resultFile) {
    try {
      fs.writeFileSync(resultFile, JSON.stringify(stats) + '\n');
    } catch (err) {
      console.error(`could not write ${resultFile}: ${String(err)}`);
    }
  }
  if (probe.available) {
    try {
      await probe.reportResult(stats);
    } catch (err) {
      console.error(`could not report the result to the probe: ${String(err)}`);
    }
  }
}
