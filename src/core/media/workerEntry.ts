import { createRequire } from 'node:module';
import * as path from 'node:path';

/** The script a worker thread runs, and the Node options it runs with. */
export interface WorkerEntry {
  file: string;
  execArgv: string[];
}

/**
 * A worker's script by its name (`filmWorker`, `posterWorker`): `<name>.js` beside the bundle (dist/)
 * when this code runs bundled; `<name>.ts` beside this file when it runs from the sources (mocha, tsx),
 * loaded through tsx.
 */
export function workerEntry(name: 'filmWorker' | 'posterWorker'): WorkerEntry {
  if (__filename.endsWith('.ts')) return { file: path.join(__dirname, `${name}.ts`), execArgv: ['--require', createRequire(__filename).resolve('tsx/cjs')] };
  return { file: path.join(__dirname, `${name}.js`), execArgv: [] };
}
