// The integration suite's entry, loaded by VS Code's extension host (`extensionTestsPath` =
// out/test/suite, i.e. this file bundled to out/test/suite/index.js by scripts/build.mjs) under both
// runners: test/host/runIntegration.ts (code-server + Chromium) and test/host/runElectron.ts.
//
// The suite is ONE esbuild bundle, so test files cannot be globbed at run time: allTests.ts imports
// each *.test.ts. It is imported only after mocha's `pre-require` has put describe/it/before/... on
// the global object (esbuild evaluates a dynamically imported bundled module lazily, on import).
import * as fs from 'node:fs';
import Mocha from 'mocha';

export const RESULT_MARKER = 'OMNI_TEST_RESULT';

export async function run(): Promise<void> {
  const grep = process.env.OMNI_TEST_GREP;
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    grep: grep ? grep : undefined,
  });

  const file = 'omni-video-integration-bundle';
  mocha.suite.emit('pre-require', globalThis, file, mocha);
  await import('./allTests');
  mocha.suite.emit('require', undefined, file, mocha);
  mocha.suite.emit('post-require', globalThis, file, mocha);

  const stats = await new Promise<{ passed: number; failed: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => {
      resolve({
        passed: runner.stats?.passes ?? 0,
        failed: runner.stats?.failures ?? 0,
        pending: runner.stats?.pending ?? 0,
      });
    });
  });

  await report(stats);
  if (stats.failed > 0) {
    throw new Error(`${stats.failed} integration test(s) failed`);
  }
  if (stats.passed + stats.pending === 0) {
    throw new Error(grep ? `no integration test matched OMNI_TEST_GREP=${grep}` : 'no integration test ran');
  }
}

/** Tells the runner the counts three ways: a marker line on the console, a file, the probe. */
async function report(stats: { passed: number; failed: number; pending: number }): Promise<void> {
  console.log(`${RESULT_MARKER} ${JSON.stringify(stats)}`);
  const resultFile = process.env.OMNI_TEST_RESULT_FILE;
  if (resultFile) {
    try {
      fs.writeFileSync(resultFile, JSON.stringify(stats) + '\n');
    } catch (err) {
      console.error(`could not write ${resultFile}: ${String(err)}`);
    }
  }
  const probeUrl = process.env.OMNI_PROBE_URL;
  if (probeUrl) {
    try {
      await fetch(`${probeUrl.replace(/\/+$/, '')}/result`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(stats),
      });
    } catch (err) {
      console.error(`could not report the result to the probe: ${String(err)}`);
    }
  }
}
