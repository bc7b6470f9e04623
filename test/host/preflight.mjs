// Sets up what `npm test` and `npm run demo` need on a fresh Debian 12 machine with Node 20, and
// nothing else: it runs before them (package.json `pretest`, `predemo`), uses only Node itself, and
// does nothing where everything is in place already.
//
//   node test/host/preflight.mjs test    # npm packages, system packages (Chromium too), code-server
//   node test/host/preflight.mjs demo    # the same without Chromium (you open the demo in your browser)
//
// - Node 20 exactly: code-server 4.100.3 (VS Code 1.100.3, the test host) refuses other majors in its
//   install, and Debian 12's own nodejs is 18.
// - npm packages: `npm ci` when node_modules is missing or older than package-lock.json.
// - System packages (Debian): chromium (the browser the integration tests drive), libkrb5-dev
//   (gssapi.h, for a native module of VS Code), ripgrep (seeds VS Code's search binary), ffmpeg (test
//   videos, frame extraction), fonts-wqy-microhei (Chinese glyphs in the zh-cn screenshots).
//   Installed with apt-get when running as root; otherwise the exact command is printed and the
//   script stops.
// - code-server: `.ci/install-code-server.sh` into .vscode-test/ (about a minute the first time).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const purpose = process.argv[2] === 'demo' ? 'demo' : 'test';
const started = Date.now();
const say = (message) => console.log(`[preflight] ${message}`);

function stop(message) {
  console.error(`[preflight] ${message}`);
  process.exit(1);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command, args, options = {}) {
  say(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) stop(`"${[command, ...args].join(' ')}" failed (exit code ${result.status ?? result.signal}).`);
}

// 1. Node 20.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 20) {
  stop(`Node ${process.versions.node} is running, but the test host (code-server 4.100.3) installs only under Node 20. Install Node 20 (for example from nodejs.org or with nvm), then run this again.`);
}

// 2. System packages.
const systemPackages = [
  { name: 'chromium', present: () => existsSync('/usr/bin/chromium'), purposes: ['test'] },
  { name: 'libkrb5-dev', present: () => existsSync('/usr/include/gssapi/gssapi.h'), purposes: ['test', 'demo'] },
  { name: 'ripgrep', present: () => onPath('rg'), purposes: ['test', 'demo'] },
  { name: 'ffmpeg', present: () => onPath('ffmpeg'), purposes: ['test', 'demo'] },
  // Chinese glyphs for the Simplified Chinese pass's screenshots (Chromium draws boxes without them).
  { name: 'fonts-wqy-microhei', present: () => existsSync('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'), purposes: ['test'] },
];
const missing = systemPackages.filter((p) => p.purposes.includes(purpose) && !p.present()).map((p) => p.name);
if (missing.length) {
  const install = `apt-get install -y ${missing.join(' ')}`;
  if (!onPath('apt-get')) stop(`Missing system packages: ${missing.join(', ')}. This machine has no apt-get; install them with its package manager.`);
  if (process.getuid?.() !== 0) stop(`Missing system packages: ${missing.join(', ')}. Install them, then run this again:\n\n  sudo apt-get update && sudo ${install}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '-o', 'Dpkg::Use-Pty=0', ...missing], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  say(`installed ${missing.join(', ')}`);
}

// 3. npm packages.
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  say(existsSync(installed) ? 'package-lock.json changed since the last install' : 'no node_modules yet');
  run('npm', ['ci', '--no-fund', '--no-audit']);
}

// 4. code-server, the VS Code the integration tests and the demo run in.
run('bash', [path.join(root, '.ci', 'install-code-server.sh')]);

say(`ready for npm ${purpose === 'test' ? 'test' : 'run demo'} in ${((Date.now() - started) / 1000).toFixed(1)} s (Node ${process.versions.node}, npm ${execFileSync('npm', ['--version']).toString().trim()})`);
