import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { OmniVideoClient } from '../../src/core/api/apiClient';
import type { Simulator } from '../simulator/server';

export async function tempDir(prefix = 'omni-video-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function clientFor(sim: Simulator, token: string | undefined = sim.token, timeoutMs = 5000): OmniVideoClient {
  return new OmniVideoClient({ baseUrl: sim.apiBaseUrl, getToken: async () => token, requestTimeoutMs: timeoutMs });
}

export function createCount(sim: Simulator): number {
  return sim.requests.filter((r) => r.origin === 'api' && r.method === 'POST').length;
}

export async function until(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
