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
