// Starting and stopping code-server (VS Code 1.100.3 server + web workbench), shared by the
// integration runner and `npm run demo`. Installed by .ci/install-code-server.sh.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { repoRoot, type RunDirs } from './common';

export const CODE_SERVER_VERSION = '4.100.3';
export const codeServerBin = path.join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');

/** `workspaceTrust`: start with workspace trust on (the workspace opens in Restricted Mode). */
export function startCodeServer(dirs: RunDirs, port: number, workspaceTrust: boolean, extraEnv: Record<string, string>): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  // Variables of a VS Code this runner may have been started from would confuse the server.
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') {
      delete env[key];
    }
  }
  // code-server writes a config file (with a generated password) unless given one: keep it here.
  const configFile = path.join(dirs.runDir, 'code-server.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(extraEnv.OMNI_TEST_LOCALE ? ['--locale', extraEnv.OMNI_TEST_LOCALE] : []),
    dirs.workspaceDir,
  ];
  const out = fs.openSync(path.join(dirs.runDir, 'code-server.log'), 'a');
  const child = spawn(codeServerBin, args, { env, cwd: dirs.runDir, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return child;
}

export async function waitForCodeServer(origin: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.signalCode ?? child.exitCode}) before listening: see code-server.log in the run directory`);
    }
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`code-server did not listen at ${origin} within ${timeoutMs / 1000}s`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** code-server runs in its own process group (detached): end it and its extension host together. */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) {
    return;
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once('exit', () => resolve());
    }
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
  // The group may outlive its leader (the extension host, a terminal): make sure all of it is gone.
  signalGroup('SIGKILL');
  await Promise.race([exited, sleep(2_000)]);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

