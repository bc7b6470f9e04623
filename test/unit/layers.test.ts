import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.join(__dirname, '..', '..');

/** What lint says about one import written in a file of src/ (or media/), as its rule ids. */
async function lintImport(filePath: string, specifier: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const code = `import * as imported from '${specifier}';\nexport const used = imported;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('Layers: lint keeps imports pointing down and features apart (docs/architecture.md)', function () {
  this.timeout(60_000);
  const refused: [string, string, string][] = [
    ['src/core/api/apiClient.ts', '../../host/settings', 'core imports a VS Code adapter'],
    ['src/core/api/apiClient.ts', '../jobs/jobStore', 'core/api imports core/jobs, above it'],
    ['src/core/common/errors.ts', '../media/signatures', 'core/common imports core/media'],
    ['src/core/jobs/jobStore.ts', 'vscode', 'core imports vscode'],
    ['src/shared/protocol.ts', '../core/common/l10n', 'shared imports core'],
    ['src/host/settings.ts', '../generation/generationFlow', 'host imports generation'],
    ['src/generation/generationFlow.ts', '../features/panel/generationPanel', 'generation imports a feature'],
    ['src/webview/webviewHost.ts', '../api/publicApi', 'webview imports the exported API'],
    ['src/features/jobs/jobCommands.ts', '../preview/previewPanels', 'one feature imports another'],
    ['src/features/jobs/jobCommands.ts', '../../features/preview/previewPanels', 'one feature imports another, the long way'],
    ['src/features/preview/previewSession.ts', '../../extension', 'a feature imports the wiring'],
    ['src/features/preview/previewSession.ts', '../../api/jobSnapshot', 'a feature imports the exported API'],
    ['media/preview.ts', '../src/core/common/l10n', 'a webview page imports host code'],
  ];
  for (const [file, specifier, what] of refused) {
    it(`refuses: ${what} (${file} → ${specifier})`, async () => {
      assert.deepEqual(await lintImport(file, specifier), ['no-restricted-imports']);
    });
  }

  const accepted: [string, string][] = [
    ['src/core/jobs/jobManager.ts', '../api/apiClient'],
    ['src/core/api/apiClient.ts', '../media/signatures'],
    ['src/features/jobs/jobCommands.ts', '../../generation/generationFlow'],
    ['src/features/jobs/jobCommands.ts', './jobsTree'],
    ['src/features/preview/previewSession.ts', '../../webview/webviewHost'],
    ['src/extension.ts', './features/preview/register'],
    ['media/preview.ts', '../src/shared/protocol'],
  ];
  for (const [file, specifier] of accepted) {
    it(`accepts ${file} → ${specifier}`, async () => {
      assert.deepEqual(await lintImport(file, specifier), []);
    });
  }
});
