import js from '@eslint/js';
import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/ and what each may import (docs/architecture.md). Imports point down this list,
 * never up, and never from one feature into another: features meet only in extension.ts, through
 * the small interfaces each declares for what it needs.
 */
const features = readdirSync(new URL('./src/features/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => `features/${entry.name}`);
const LAYERS = [
  { area: 'core/common', may: [] },
  { area: 'core/media', may: ['core/common'] },
  { area: 'core/api', may: ['core/common', 'core/media'] },
  { area: 'core/jobs', may: ['core/common', 'core/media', 'core/api'] },
  { area: 'core/storyboard', may: ['core/common', 'core/media', 'core/api', 'core/jobs'] },
  { area: 'shared', may: [] },
  { area: 'host', may: ['core', 'shared'] },
  { area: 'generation', may: ['core', 'shared', 'host'] },
  { area: 'webview', may: ['core', 'shared', 'host'] },
  { area: 'api', may: ['core', 'shared', 'host', 'generation'] },
  ...features.map((area) => ({ area, may: ['core', 'shared', 'host', 'generation', 'webview'] })),
];
const AREAS = ['core/common', 'core/media', 'core/api', 'core/jobs', 'core/storyboard', 'shared', 'host', 'generation', 'webview', 'api', ...features, 'extension'];

/** The regex of every relative import that, written in a file of `from`, resolves into `target`. */
function importsInto(from, target) {
  const fromParts = from.split('/');
  const targetParts = target.split('/');
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ways = [];
  for (let up = 0; up <= fromParts.length; up++) {
    const base = fromParts.slice(0, fromParts.length - up);
    if (base.some((part, i) => targetParts[i] !== part)) continue;
    const rest = targetParts.slice(base.length).join('/');
    if (!rest) continue;
    ways.push(`${up === 0 ? '\\./' : '(\\.\\./){' + up + '}'}${escape(rest)}(/|$)`);
  }
  return `^(${ways.join('|')})`;
}

const allowed = (may, target) => may.some((m) => target === m || target.startsWith(`${m}/`));

/** One block per area: its forbidden targets as no-restricted-imports patterns. */
const layerBlocks = LAYERS.map(({ area, may }) => {
  const forbidden = AREAS.filter((target) => target !== area && !allowed(may, target));
  const core = area.startsWith('core/') || area === 'shared';
  return {
    files: [`src/${area}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: core ? [{ name: 'vscode', message: 'core and shared code must run in plain Node: no vscode import.' }] : [],
          patterns: forbidden.map((target) => ({
            regex: importsInto(area, target === 'extension' ? 'extension' : target),
            message: `src/${area} must not import from src/${target} (docs/architecture.md: imports point down the layers; features meet only in extension.ts).`,
          })),
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  ...layerBlocks,
  {
    files: ['media/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode'], patterns: [{ regex: '^\\.\\./src/(?!shared/)', message: 'Webview pages may import only src/shared (the message protocols).' }] }],
    },
  },
);
