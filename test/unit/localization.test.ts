import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseBaseUrl } from '../../src/core/api/apiClient';
import { OmniVideoError } from '../../src/core/common/errors';
import { formatMessage, resetTranslator, useTranslator } from '../../src/core/common/l10n';
import { prepareMedia } from '../../src/core/api/mediaInput';
import { parseGenerationParams } from '../../src/core/api/requestBuilder';
import { collectL10nStrings } from './l10nStrings';

const root = path.join(__dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, string>;
const placeholders = (text: string) => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

describe('Localisation: English and Simplified Chinese', () => {
  it('every vscode.l10n.t string in src has a Chinese translation with the same placeholders', () => {
    const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
    const used = collectL10nStrings();
    const missing = [...used].filter((s) => !(s in bundle));
    assert.deepEqual(missing, [], 'strings without a zh-cn translation');
    for (const key of used) assert.deepEqual(placeholders(bundle[key]), placeholders(key), `placeholders of "${key}"`);
    const unused = Object.keys(bundle).filter((k) => !used.has(k));
    assert.deepEqual(unused, [], 'translations no code uses');
  });

  it('core messages go through the installed translator: with the zh-cn bundle they come out in Chinese, and English again after a reset', async () => {
    const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
    const untranslated: string[] = [];
    // What vscode.l10n.t does with a loaded bundle: look the English text up, then fill in the placeholders.
    useTranslator((message, ...args) => {
      if (!(message in bundle)) untranslated.push(message);
      return formatMessage(bundle[message] ?? message, args);
    });
    const messageOf = (fn: () => unknown): string => {
      try {
        fn();
      } catch (error) {
        assert.ok(error instanceof OmniVideoError, `expected an OmniVideoError, got ${error}`);
        return error.message;
      }
      assert.fail('expected an error');
    };
    try {
      assert.equal(messageOf(() => parseGenerationParams({ prompt: '', seconds: '8', aspectRatio: '16:9' })), '提示词为空：请描述场景、镜头运动、光线和氛围。');
      assert.equal(
        messageOf(() => parseGenerationParams({ prompt: 'x'.repeat(4001), seconds: '3', aspectRatio: '16:9' })),
        '提示词有 4001 个字符；最多接受 4000 个字符。 时长必须是 4、8 或 10 秒。',
      );
      assert.equal(messageOf(() => parseBaseUrl('ftp://x')), '基础 URL 必须使用 https://（仅 localhost 允许使用不加密的 http://）。请检查设置 omniVideo.baseUrl。');
      // A sentence with a translated fragment (the role) inside it.
      const refused = await prepareMedia({ kind: 'url', url: 'ftp://example.com/a.png' }, 'firstImage').then(
        () => assert.fail('expected the URL to be refused'),
        (error: unknown) => (error as Error).message,
      );
      assert.match(refused, /^ftp: URL 不能用作首帧（“ftp:\/\/example\.com\/a\.png”）：服务商只通过 http 或 https 获取媒体。/);
      assert.doesNotMatch(refused, /the first frame|[a-z]{3,} [a-z]{3,}/, 'no English words left');
      assert.deepEqual(untranslated, []);
    } finally {
      resetTranslator();
    }
    assert.equal(messageOf(() => parseBaseUrl('ftp://x')), 'The base URL must use https:// (plain http:// is allowed only for localhost). Check the setting omniVideo.baseUrl.');
    // useTranslator(undefined) restores the English default too.
    useTranslator((message) => `zh:${message}`);
    useTranslator(undefined);
    assert.match(messageOf(() => parseGenerationParams({ prompt: '', seconds: '8', aspectRatio: '16:9' })), /^The prompt is empty/);
  });

  it('package.nls.json and package.nls.zh-cn.json have the same keys, and package.json uses only those', () => {
    const en = readJson('package.nls.json');
    const zh = readJson('package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    const manifest = readFileSync(path.join(root, 'package.json'), 'utf8');
    const referenced = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
    assert.deepEqual([...referenced].filter((k) => !(k in en)), [], 'package.json keys missing from package.nls.json');
    assert.deepEqual(Object.keys(en).filter((k) => !referenced.has(k)), [], 'package.nls.json keys package.json does not use');
  });
});
