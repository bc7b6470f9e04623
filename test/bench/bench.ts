// npm run bench: performance figures as ratios against a reference run in the same process tree
// (curl, the OpenAI SDK), never absolute timings in a unit test. One line per figure.
//
//   npm run bench                     # 500 MB download, five 8 MB images, end to end
//   BENCH_MB=100 BENCH_RUNS=3 npm run bench
//
// The simulator runs in its own process (test/simulator/cli.ts) and each measured client in its own
// (test/bench/worker.ts), so that peak memory is the client's alone (Linux VmHWM).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '..', '..');
const MB = 1024 * 1024;
const sizeMb = Number(process.env.BENCH_MB ?? 500);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface WorkerResult {
  ms: number;
  peakRssGrowthBytes: number;
  baselineRssBytes: number;
}

function line(figure: string, ours: string, reference: string, ratio: number | undefined, note = ''): void {
  const r = ratio === undefined ? '' : `${ratio.toFixed(2)}×`;
  console.log(`${figure.padEnd(44)} ours ${ours.padEnd(12)} reference ${reference.padEnd(22)} ratio ${r.padEnd(7)}${note}`);
}

async function worker(task: string, args: Record<string, unknown>): Promise<WorkerResult> {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(repo, 'test', 'bench', 'worker.ts'), task, JSON.stringify(args)], {
    cwd: repo,
    maxBuffer: 16 * MB,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as WorkerResult;
}

/** curl's own total time (`-w %{time_total}`) and, with GNU time installed, its peak RSS. */
async function curl(args: string[]): Promise<{ ms: number; peakRssBytes?: number }> {
  const gnuTime = existsSync('/usr/bin/time');
  const [command, argv] = gnuTime ? ['/usr/bin/time', ['-f', '%M', 'curl', '-sS', ...args]] : ['curl', ['-sS', ...args]];
  const { stdout, stderr } = await run(command, argv, { maxBuffer: 16 * MB });
  const ms = Number(stdout.trim().split('\n').at(-1)) * 1000;
  const peakKb = gnuTime ? Number(stderr.trim().split('\n').at(-1)) : NaN;
  return { ms, peakRssBytes: Number.isFinite(peakKb) ? peakKb * 1024 : undefined };
}

/** An MP4 of `bytes`: the fixture's ftyp box, then one mdat box of pseudo-random bytes. */
async function makeBigMp4(file: string, bytes: number): Promise<void> {
  const fixture = await readFile(path.join(repo, 'test', 'fixtures', 'sample-1280x720-h264-aac.mp4'));
  const ftypSize = fixture.readUInt32BE(0);
  const out = createWriteStream(file);
  out.write(fixture.subarray(0, ftypSize));
  const mdatSize = bytes - ftypSize;
  const header = Buffer.alloc(8);
  header.writeUInt32BE(mdatSize, 0);
  header.write('mdat', 4, 'latin1');
  out.write(header);
  const chunk = randomBytes(4 * MB);
  let left = mdatSize - 8;
  while (left > 0) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    if (!out.write(piece)) await once(out, 'drain');
    left -= piece.length;
  }
  out.end();
  await once(out, 'finish');
}

interface Simulator {
  apiBaseUrl: string;
  token: string;
  process: ChildProcess;
}

async function startSimulator(videoFile: string): Promise<Simulator> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'test', 'simulator', 'cli.ts'), '--quiet', '--queued-ms', '100', '--processing-ms', '400', '--video-file', videoFile], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [first] = (await once(child.stdout!, 'data')) as [Buffer];
  const info = JSON.parse(first.toString('utf8').split('\n')[0]) as { apiBaseUrl: string; token: string };
  return { ...info, process: child };
}

async function createJob(sim: Simulator, body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${sim.apiBaseUrl}/videos`, { method: 'POST', headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const job = (await response.json()) as { id: string };
  for (;;) {
    const status = (await (await fetch(`${sim.apiBaseUrl}/videos/${job.id}`, { headers: { authorization: `Bearer ${sim.token}` } })).json()) as { status: string };
    if (status.status === 'completed') return job.id;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const { stdout: curlVersion } = await run('curl', ['--version']);
  const cpus = os.cpus();
  console.log(`machine: ${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${mb(os.totalmem())} RAM; node ${process.version}; ${curlVersion.split('\n')[0]}`);
  console.log(`settings: BENCH_MB=${sizeMb}, BENCH_RUNS=${runs} (median of runs); loopback; the simulator in its own process; each client in its own process`);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'omni-video-bench-'));
  const big = path.join(dir, 'big.mp4');
  await makeBigMp4(big, sizeMb * MB);
  const sim = await startSimulator(big);
  try {
    const body = { model: 'omni-fast', prompt: 'bench', seconds: '4', aspect_ratio: '16:9' };
    const id = await createJob(sim, body);
    const contentUrl = `${sim.apiBaseUrl}/videos/${id}/content`;

    // 1. Download through /content (302 to the storage origin) to a file.
    const ours: WorkerResult[] = [];
    const ref: { ms: number; peakRssBytes?: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const a = path.join(dir, `ours-${i}.mp4`);
      const b = path.join(dir, `curl-${i}.mp4`);
      ours.push(await worker('download', { apiBaseUrl: sim.apiBaseUrl, token: sim.token, id, dest: a }));
      ref.push(await curl(['-L', '-o', b, '-w', '%{time_total}\n', '-H', `Authorization: Bearer ${sim.token}`, contentUrl]));
      if ((await stat(a)).size !== sizeMb * MB || (await stat(b)).size !== sizeMb * MB) throw new Error('a download is incomplete');
      await rm(a);
      await rm(b);
    }
    const oursMs = median(ours.map((r) => r.ms));
    const refMs = median(ref.map((r) => r.ms));
    line(`download ${sizeMb} MB via /content + 302: wall time`, s(oursMs), `curl -L -o ${s(refMs)}`, oursMs / refMs, ' (target ≤ 1.15)');
    const peak = Math.max(...ours.map((r) => r.peakRssGrowthBytes));
    const curlPeak = ref.map((r) => r.peakRssBytes).filter((v): v is number => v !== undefined);
    line(`download ${sizeMb} MB: peak RSS growth`, mb(peak), curlPeak.length ? `curl peak RSS ${mb(Math.max(...curlPeak))}` : 'curl: n/a', undefined, ' (target ≤ 64 MB)');
  } finally {
    sim.process.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
