import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Every string literal passed to `vscode.l10n.t(...)` in src/ (single- or double-quoted). */
export function collectL10nStrings(root = path.join(__dirname, '..', '..', 'src')): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts')) {
        const text = readFileSync(full, 'utf8');
        for (const match of text.matchAll(/l10n\.t\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)) {
          const literal = match[1] ?? match[2];
          found.add(literal.replace(/\\(['"])/g, '$1').replace(/\\\\/g, '\\'));
        }
      }
    }
  };
  walk(root);
  return found;
}

if (require.main === module) {
  console.log(JSON.stringify([...collectL10nStrings()].sort(), null, 2));
}
