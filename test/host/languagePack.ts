// The workbench in Simplified Chinese, offline (docs/test-host.md, "Running the workbench in Chinese,
// offline"): `--locale zh-cn` alone leaves code-server in English, because the server maps a locale to
// translations through <user-data-dir>/languagepacks.json, which only its language-pack service writes
// after an install from the UI. So: a minimal language pack (its VS Code translations empty: our own
// strings are the ones under test), installed on the command line, and that file written by hand.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, type RunDirs } from './common';
import { codeServerBin } from './codeServer';

const PACK = { publisher: 'omni-video-tests', name: 'zh-cn-pack', version: '1.0.0' };
const packDir = path.join(repoRoot, '.vscode-test', 'zh-cn-pack');
const vsix = path.join(packDir, `${PACK.name}.vsix`);

/** The pack's .vsix, made once with vsce from a package.json and an empty translation file. */
function packageLanguagePack(): string {
  if (fs.existsSync(vsix)) return vsix;
  const source = path.join(packDir, 'source');
  fs.mkdirSync(path.join(source, 'translations'), { recursive: true });
  fs.writeFileSync(
    path.join(source, 'package.json'),
    JSON.stringify(
      {
        ...PACK,
        displayName: 'Chinese (Simplified) test language pack',
        description: 'An empty zh-cn language pack for the Omni Video integration tests.',
        license: 'MIT',
        engines: { vscode: '^1.100.0' },
        categories: ['Language Packs'],
        contributes: { localizations: [{ languageId: 'zh-cn', languageName: 'Chinese Simplified', localizedLanguageName: '中文(简体)', translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(source, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.writeFileSync(path.join(source, 'LICENSE'), 'MIT\n');
  fs.writeFileSync(path.join(source, 'README.md'), 'An empty zh-cn language pack for tests.\n');
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  execFileSync(vsce, ['package', '--allow-missing-repository', '--skip-license', '--no-dependencies', '--out', vsix], { cwd: source, stdio: 'ignore' });
  return vsix;
}

/** Installs the pack into the pass's extensions folder and points the server's locale map at it. */
export function installChineseLanguagePack(dirs: RunDirs): void {
  execFileSync(codeServerBin, ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--install-extension', packageLanguagePack()], { stdio: 'ignore' });
  const installed = path.join(dirs.extensionsDir, `${PACK.publisher}.${PACK.name}-${PACK.version}`);
  const translations = path.join(installed, 'translations', 'main.i18n.json');
  if (!fs.existsSync(translations)) throw new Error(`the zh-cn language pack did not install into ${installed}`);
  const languagePacks = {
    'zh-cn': {
      hash: `omni-video-tests-${Date.now()}`, // a new hash makes the server rebuild its translation cache
      extensions: [{ extensionIdentifier: { id: `${PACK.publisher}.${PACK.name}` }, version: PACK.version }],
      translations: { vscode: translations },
      label: '中文(简体)',
    },
  };
  fs.writeFileSync(path.join(dirs.userDataDir, 'languagepacks.json'), JSON.stringify(languagePacks));
  fs.mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userDataDir, 'User', 'argv.json'), JSON.stringify({ locale: 'zh-cn' }));
}
