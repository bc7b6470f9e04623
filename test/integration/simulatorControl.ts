import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';

// The simulator runs in the runner's process; the suite reads its request log and sets its faults
// over its control endpoints (OMNI_SIM_CONTROL_URL).
export interface LoggedRequest {
  origin: 'api' | 'storage' | 'control';
  method: string;
  path: string;
  hasAuthorization: boolean;
  body?: unknown;
  status: number;
  /** When the simulator received it (ms since the epoch). */
  time: number;
}

/** `GET /_sim/config`; a patch applies to jobs created after it. */
export interface SimulatorConfig {
  queuedMs: number;
  processingMs: number;
  videoFile: string;
  portraitVideoFile: string;
}

/** `GET /_sim/jobs`: each job with the timings it was created with. */
export interface SimulatorJob {
  id: string;
  createdAtMs: number;
  queuedMs: number;
  processingMs: number;
  request: Record<string, unknown>;
  view: { status: string; progress?: number };
}

const controlUrl = process.env.OMNI_SIM_CONTROL_URL ?? '';

async function call<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
  if (!controlUrl) throw new Error('OMNI_SIM_CONTROL_URL is unset: the runner did not start the simulator');
  const response = await fetch(`${controlUrl}${route}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${method} ${route}: HTTP ${response.status}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const simulator = {
  token: process.env.OMNI_SIM_TOKEN ?? '',
  requests: () => call<LoggedRequest[]>('GET', '/requests'),
  reset: () => call<void>('POST', '/reset'),
  setFaults: (patch: Record<string, unknown>) => call<void>('POST', '/faults', patch),
  config: () => call<SimulatorConfig>('GET', '/config'),
  setConfig: (patch: Partial<SimulatorConfig>) => call<SimulatorConfig>('POST', '/config', patch),
  jobs: () => call<SimulatorJob[]>('GET', '/jobs'),
  async creates(): Promise<LoggedRequest[]> {
    return (await this.requests()).filter((r) => r.origin === 'api' && r.method === 'POST');
  },
};

/** How the simulator's request log shows a long data URI: its type, size and the sha256 of its bytes. */
interface DataUriSummary {
  dataUri: true;
  mime: string;
  bytes: number;
  sha256: string;
}

/** `value` (from the request log) is a data URI of exactly `file`'s bytes, of type `mime`. */
export function assertDataUriOf(value: unknown, file: vscode.Uri, mime: string): void {
  // The simulator's log summarises long data URIs; short ones come as they were sent.
  const short = typeof value === 'string' && /^data:([^;]+);base64,(.*)$/.exec(value);
  const summary: DataUriSummary = short
    ? { dataUri: true, mime: short[1], bytes: 0, sha256: createHash('sha256').update(Buffer.from(short[2], 'base64')).digest('hex') }
    : (value as DataUriSummary);
  assert.equal(summary?.dataUri, true, `a data URI, got ${JSON.stringify(value)?.slice(0, 100)}`);
  assert.equal(summary.mime, mime);
  const expected = createHash('sha256').update(fs.readFileSync(file.fsPath)).digest('hex');
  assert.equal(summary.sha256, expected, `the decoded data is ${path.basename(file.fsPath)}'s bytes`);
}
