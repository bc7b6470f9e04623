// Two-phase tests across a window reload (see test/integration/reload.test.ts and
// docs/test-host.md, "Reloading the window inside a test run").
//
// The state lives in a marker file, `<OMNI_TEST_RUN_DIR>/window-reload.json`, because nothing else
// survives the extension host:
//
//   (no file)       phase 1: the whole suite runs. A test that needs a reload calls requestReload().
//   'requested'     index.ts, once mocha is done, records phase 1's counts, sets 'reloading' and asks
//                   the runner (probe POST /reload) to navigate the page to the workbench URL again.
//                   This extension host dies; its run() never settles.
//   'reloading'     phase 2: the new extension host runs the tests module again. index.ts sets
//                   'resumed' and runs only the PHASE_2_SUITE tests (mocha grep); the counts it
//                   reports are phase 1's plus phase 2's.
//   'resumed'       seen at the start of a run: the window reloaded a second time, which nothing
//                   asked for. That run fails.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SuiteCounts {
  passed: number;
  failed: number;
  pending: number;
}

export interface ReloadState {
  status: 'requested' | 'reloading' | 'resumed';
  /** The full title of the test that asked for the reload. */
  requestedBy: string;
  /** What that test hands over to its phase 2. */
  data: Record<string, unknown>;
  requestedAt: number;
  /** Set by index.ts at the end of phase 1. */
  phase1?: SuiteCounts;
  phase1Pid?: number;
  reloadAt?: number;
  /** Set by index.ts at the start of phase 2. */
  phase2Pid?: number;
  phase2StartedAt?: number;
}

/** The describe() title of every test that runs after the reload; phase 2 runs only these. */
export const PHASE_2_SUITE = 'after the window reload (phase 2)';
export const PHASE_2_GREP = new RegExp(PHASE_2_SUITE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

export function reloadStateFile(): string | undefined {
  const runDir = process.env.OMNI_TEST_RUN_DIR;
  return runDir ? path.join(runDir, 'window-reload.json') : undefined;
}

export function readReloadState(): ReloadState | undefined {
  const file = reloadStateFile();
  if (!file || !fs.existsSync(file)) {
    return undefined;
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ReloadState;
}

export function writeReloadState(state: ReloadState): void {
  const file = reloadStateFile();
  if (!file) {
    throw new Error('OMNI_TEST_RUN_DIR is unset: nowhere to keep state across the window reload');
  }
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(state, null, 2) + '\n');
  fs.renameSync(temp, file);
}

/** True in the extension host that runs after the reload (index.ts has set 'resumed' before loading the tests). */
export function isAfterReload(): boolean {
  return readReloadState()?.status === 'resumed';
}

/**
 * Called by a phase-1 test: once the current mocha run is over, the window reloads and the
 * PHASE_2_SUITE tests run in the new extension host, where `readReloadState().data` is `data`.
 * Only one reload per run.
 */
export function requestReload(requestedBy: string, data: Record<string, unknown>): void {
  const existing = readReloadState();
  if (existing) {
    throw new Error(`a window reload was already requested by "${existing.requestedBy}" (status ${existing.status})`);
  }
  writeReloadState({ status: 'requested', requestedBy, data, requestedAt: Date.now() });
}
