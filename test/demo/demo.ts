// `npm run demo`: the extension in a real VS Code (code-server) against the local simulator.
// Prints the URL to open in a browser; Ctrl+C stops everything.
//
//   npm run demo                         # code-server on port 8080 (or a free one), simulator on a free port
//   OMNI_DEMO_PORT=3000 npm run demo
//   npx tsx test/demo/demo.ts --simulator-only   # for the desktop launch configuration (F5):
//       simulator on 127.0.0.1:8787 and a user-data dir whose settings point at it
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSimulator } from '../simulator/server';
import { CODE_SERVER_VERSION, codeServerBin, freePort, startCodeServer, stopProcessGroup, waitForCodeServer } from '../host/codeServer';
import { createRunDir, repoRoot, writeUserSettings } from '../host/common';

const DEMO_POLL_SECONDS = 2;

async function portOr(preferred: number): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => void freePort().then(resolve));
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(preferred)));
  });
}

function seedWorkspace(workspaceDir: string): void {
  const storyboard = path.join(workspaceDir, 'storyboard');
  fs.mkdirSync(storyboard, { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'frame-640x360.png'), path.join(storyboard, 'opening-frame.png'));
  fs.writeFileSync(
    path.join(workspaceDir, 'shot-list.md'),
    '# Shot list\n\n1. Ocean waves gently rolling onto a sandy beach at golden hour, slow dolly-in, cinematic.\n' +
      '2. A paper boat drifting down a rainy street at night, neon reflections, macro lens.\n',
  );
}

async function simulatorOnly(): Promise<void> {
  const simulator = await startSimulator({ port: 8787, log: (line) => console.error(line) });
  const userData = path.join(repoRoot, '.vscode-test', 'demo-desktop', 'user-data');
  writeUserSettings(userData, simulator.apiBaseUrl, DEMO_POLL_SECONDS);
  fs.mkdirSync(path.join(repoRoot, '.vscode-test', 'demo-workspace'), { recursive: true });
  seedWorkspace(path.join(repoRoot, '.vscode-test', 'demo-workspace'));
  console.log(JSON.stringify({ apiBaseUrl: simulator.apiBaseUrl, token: simulator.token, userDataDir: userData }));
  const stop = () => void simulator.close().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function main(): Promise<void> {
  if (process.argv.includes('--simulator-only')) return simulatorOnly();
  if (!fs.existsSync(codeServerBin)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed: run \`bash .ci/install-code-server.sh\` first`);
  }
  const dirs = createRunDir('demo');
  seedWorkspace(dirs.workspaceDir);
  const simulatorLog = fs.createWriteStream(path.join(dirs.runDir, 'simulator.log'));
  const simulator = await startSimulator({ queuedMs: 3000, processingMs: 12_000, log: (line) => simulatorLog.write(line + '\n') });
  writeUserSettings(dirs.userDataDir, simulator.apiBaseUrl, DEMO_POLL_SECONDS);
  const port = await portOr(Number(process.env.OMNI_DEMO_PORT ?? 8080));
  // The key comes from the environment fallback, so the demo works at once; "Set API Key" still works.
  const codeServer = startCodeServer(dirs, port, false, { OMNI_VIDEO_API_KEY: simulator.token });
  const origin = `http://127.0.0.1:${port}`;
  await waitForCodeServer(origin, codeServer, 60_000);
  const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${repoRoot}`], ['skipWelcome', 'true']];
  const url = `${origin}/?folder=${encodeURIComponent(dirs.workspaceDir)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  console.log(`
Omni Video demo (code-server ${CODE_SERVER_VERSION} = VS Code 1.100.3, API simulator at ${simulator.apiBaseUrl})

  Open:      ${url}
  Try:       Command Palette → "Omni Video: Generate Video from Prompt…"
  API key:   ${simulator.token} (already provided through OMNI_VIDEO_API_KEY)
  Logs:      ${path.relative(repoRoot, dirs.runDir)}/ (simulator.log, code-server.log)

Press Ctrl+C to stop.`);
  const stop = async () => {
    await stopProcessGroup(codeServer);
    await simulator.close();
    simulatorLog.end();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
