// The extension's own log (Output → Omni Video), as code-server writes it under the run directory.
import * as fs from 'node:fs';
import * as path from 'node:path';

const logsDir = () => path.join(process.env.OMNI_TEST_RUN_DIR ?? '', 'user-data', 'logs');

/** Whether this runner keeps the logs where the suite can read them (the desktop runner does not). */
export const extensionLogAvailable = (): boolean => !!process.env.OMNI_TEST_RUN_DIR && fs.existsSync(logsDir());

/** Everything the Omni Video log channel has written so far (every window of this run). */
export function readExtensionLog(): string {
  const logs = logsDir();
  const files = (fs.readdirSync(logs, { recursive: true }) as string[]).filter((f) => f.endsWith(path.join('omni-video.omni-video', 'Omni Video.log')));
  return files.map((f) => fs.readFileSync(path.join(logs, f), 'utf8')).join('\n');
}
