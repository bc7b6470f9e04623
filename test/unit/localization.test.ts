import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
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
