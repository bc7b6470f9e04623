// npm run bench: performance figures as ratios against a reference run in the same process tree
// (curl, the OpenAI SDK), never absolute timings in a unit test. One line per figure.
//
//   npm run bench                     # 500 MB download, five 8 MB images, end to end
//   BENCH_MB=100 BENCH_RUNS=3 npm run bench
//   BENCH_FILM_ONLY=1 npm run bench     # Assemble Film only
//   BENCH_ONLY=paced npm run bench      # a 100 MB/s paced link (BENCH_PACE_MBPS, BENCH_PACED_MB), ours vs curl
//   BENCH_ONLY=codecs npm run bench     # the codecs of a 2 GB file (BENCH_CODECS_MB)
// Every task also prints the event loop's delay meanwhile (p99, max; target ≤ 10 / ≤ 50 ms).
//
// The simulator runs in its own process (test/simulator/cli.ts) and each measured client in its own
// (test/bench/worker.ts), so that peak memory is the client's alone (Linux VmHWM).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '..', '..');
const MB = 1024 * 1024;
const sizeMb = Number(process.env.BENCH_MB ?? 500);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface WorkerResult {
  ms: number;
  peakRssGrowthBytes: number;
  baselineRssBytes: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  cpuMs: number;
}

function line(figure: string, ours: string, reference: string, ratio: number | undefined, note = ''): void {
  const r = ratio === undefined ? '' : `${ratio.toFixed(2)}×`;
  console.log(`${figure.padEnd(44)} ours ${ours.padEnd(12)} reference ${reference.padEnd(22)} ratio ${r.padEnd(7)}${note}`);
}

/**
 * The workers run the client as the extension ships it: one esbuild bundle, minified, in plain Node.
 * Run through tsx instead, module hooks and source maps cost the measured process time and memory.
 */
let workerBundle: string | undefined;
async function bundleWorker(dir: string): Promise<void> {
  const esbuild = await import('esbuild');
  workerBundle = path.join(dir, 'worker.cjs');
  const options = { bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', legalComments: 'none' } as const;
  await esbuild.build({ ...options, entryPoints: [path.join(repo, 'test', 'bench', 'worker.ts')], outfile: workerBundle });
  // Films are assembled on a worker thread whose script lies beside the bundle (src/core/media/filmInWorker.ts).
  await esbuild.build({ ...options, entryPoints: [path.join(repo, 'src', 'core', 'media', 'filmWorker.ts')], outfile: path.join(dir, 'filmWorker.js') });
}

async function worker(task: string, args: Record<string, unknown>): Promise<WorkerResult> {
  if (!workerBundle) throw new Error('bundleWorker() first');
  const { stdout } = await run(process.execPath, ['--expose-gc', workerBundle, task, JSON.stringify(args)], {
    cwd: repo,
    maxBuffer: 16 * MB,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as WorkerResult;
}

/** curl's own total time (`-w %{time_total}`) and, with GNU time installed, its peak RSS. */
async function curl(args: string[]): Promise<{ ms: number; peakRssBytes?: number; cpuMs?: number }> {
  const gnuTime = existsSync('/usr/bin/time');
  const [command, argv] = gnuTime ? ['/usr/bin/time', ['-f', '%M %U %S', 'curl', '-sS', ...args]] : ['curl', ['-sS', ...args]];
  const { stdout, stderr } = await run(command, argv, { maxBuffer: 16 * MB });
  const ms = Number(stdout.trim().split('\n').at(-1)) * 1000;
  const [peakKb, user, system] = gnuTime ? stderr.trim().split('\n').at(-1)!.split(' ').map(Number) : [NaN, NaN, NaN];
  return { ms, peakRssBytes: Number.isFinite(peakKb) ? peakKb * 1024 : undefined, cpuMs: Number.isFinite(user + system) ? (user + system) * 1000 : undefined };
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

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid PNG of about `bytes`: random RGB pixels, stored without compression (so its size is known). */
async function makePng(file: string, bytes: number): Promise<number> {
  const width = 2000;
  const height = Math.floor(bytes / (width * 3 + 1));
  const raw = randomBytes(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) raw[y * (width * 3 + 1)] = 0; // filter: none
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw, { level: 0 })), pngChunk('IEND', Buffer.alloc(0))]);
  await writeFile(file, png);
  return png.length;
}

interface Simulator {
  apiBaseUrl: string;
  token: string;
  process: ChildProcess;
}

async function startSimulator(videoFile: string, extra: string[] = []): Promise<Simulator> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'test', 'simulator', 'cli.ts'), '--quiet', '--queued-ms', '100', '--processing-ms', '400', '--video-file', videoFile, ...extra], {
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
  await bundleWorker(dir);
  const big = path.join(dir, 'big.mp4');
  await makeBigMp4(big, sizeMb * MB);
  const sim = await startSimulator(big);
  try {
    const body = { model: 'omni-fast', prompt: 'bench', seconds: '4', aspect_ratio: '16:9' };
    const id = await createJob(sim, body);
    const contentUrl = `${sim.apiBaseUrl}/videos/${id}/content`;

    // 1. Download through /content (302 to the storage origin) to a file: ours, undici alone, curl.
    const ours: WorkerResult[] = [];
    const bare: WorkerResult[] = [];
    const naive: WorkerResult[] = [];
    const ref: { ms: number; peakRssBytes?: number }[] = [];
    // Run 0 warms the page cache and the simulator for all and is not counted; then the order
    // rotates, so that no client always goes first.
    for (let i = 0; i <= runs; i++) {
      const files = ['ours', 'bare', 'curl', 'naive'].map((who) => path.join(dir, `${who}-${i}.mp4`));
      const clients = [
        async () => void ours.push(await worker('download', { apiBaseUrl: sim.apiBaseUrl, token: sim.token, id, dest: files[0] })),
        async () => void bare.push(await worker('download-bare', { apiBaseUrl: sim.apiBaseUrl, token: sim.token, id, dest: files[1], fileBuffer: MB })),
        async () => void ref.push(await curl(['-L', '-o', files[2], '-w', '%{time_total}\n', '-H', `Authorization: Bearer ${sim.token}`, contentUrl])),
        async () => void naive.push(await worker('download-bare', { apiBaseUrl: sim.apiBaseUrl, token: sim.token, id, dest: files[3] })),
      ];
      for (let k = 0; k < clients.length; k++) await clients[(i + k) % clients.length]();
      if (i === 0) [ours, bare, ref, naive].forEach((list) => list.splice(0));
      for (const file of files) {
        if ((await stat(file)).size !== sizeMb * MB) throw new Error(`${path.basename(file)}: the download is incomplete`);
        await rm(file);
      }
    }
    const oursMs = median(ours.map((r) => r.ms));
    const bareMs = median(bare.map((r) => r.ms));
    const refMs = median(ref.map((r) => r.ms));
    line(`download ${sizeMb} MB via /content + 302: wall time`, s(oursMs), `curl -L -o ${s(refMs)}`, oursMs / refMs, ' (target ≤ 1.15)');
    const naiveMs = median(naive.map((r) => r.ms));
    line(`download ${sizeMb} MB: vs undici alone`, s(oursMs), `undici + pipeline ${s(bareMs)}`, oursMs / bareMs, ` (undici alone vs curl: ${(bareMs / refMs).toFixed(2)}×; the same with Node's 16 KB file buffer: ${s(naiveMs)})`);
    const peak = Math.max(...ours.map((r) => r.peakRssGrowthBytes));
    const curlPeak = ref.map((r) => r.peakRssBytes).filter((v): v is number => v !== undefined);
    line(`download ${sizeMb} MB: peak RSS growth`, mb(peak), curlPeak.length ? `curl peak RSS ${mb(Math.max(...curlPeak))}` : 'curl: n/a', undefined, ` (target ≤ 64 MB; undici alone ${mb(Math.max(...bare.map((r) => r.peakRssGrowthBytes)))})`);

    eventLoopLine(`download ${sizeMb} MB`, ours);

    // A session's first request: V8 then optimises undici's parser in the background, once.
    const first = (await Promise.all([0, 1, 2].map(() => worker('first-request', { apiBaseUrl: sim.apiBaseUrl, token: sim.token, id })))) as (WorkerResult & { firstMs: number; nextMs: number })[];
    line('first request of a session: peak RSS growth', mb(Math.max(...first.map((r) => r.peakRssGrowthBytes))), '', undefined, ` (once per session; the first request ${median(first.map((r) => r.firstMs)).toFixed(0)} ms, the next ${median(first.map((r) => r.nextMs)).toFixed(0)} ms)`);

    if (process.env.BENCH_ONLY === 'download') return;
    // 2. Upload: a create request with five 8 MB images, and one with a 10 MB clip.
    const images = await Promise.all([0, 1, 2, 3, 4].map(async (i) => {
      const file = path.join(dir, `image-${i}.png`);
      await makePng(file, 8 * MB);
      return { path: file, role: 'reference' };
    }));
    const clip = path.join(dir, 'clip.mp4');
    await makeBigMp4(clip, 10 * MB - 1024);
    for (const [label, files] of [['five 8 MB images', images], ['one 10 MB clip', [{ path: clip, role: 'video' }]]] as const) {
      const raw = (await Promise.all(files.map((f) => stat(f.path)))).reduce((sum, st) => sum + st.size, 0);
      const bodyFile = path.join(dir, 'body.json');
      await worker('write-body', { apiBaseUrl: sim.apiBaseUrl, token: sim.token, files, dest: bodyFile });
      const oursRuns: WorkerResult[] = [];
      const stringRuns: WorkerResult[] = [];
      const bareRuns: WorkerResult[] = [];
      const curlRuns: { ms: number; peakRssBytes?: number }[] = [];
      for (let i = 0; i < runs; i++) {
        oursRuns.push(await worker('upload', { apiBaseUrl: sim.apiBaseUrl, token: sim.token, files }));
        bareRuns.push(await worker('upload-bare', { apiBaseUrl: sim.apiBaseUrl, token: sim.token, dest: bodyFile }));
        stringRuns.push(await worker('upload-string', { apiBaseUrl: sim.apiBaseUrl, token: sim.token, files }));
        curlRuns.push(await curl(['-X', 'POST', '--data-binary', `@${bodyFile}`, '-H', 'content-type: application/json', '-H', `Authorization: Bearer ${sim.token}`, '-o', '/dev/null', '-w', '%{time_total}\n', `${sim.apiBaseUrl}/videos`]));
      }
      const oursUp = median(oursRuns.map((r) => r.ms));
      const curlUp = median(curlRuns.map((r) => r.ms));
      const bareUp = median(bareRuns.map((r) => r.ms));
      line(`upload ${label} (${mb(raw)}): wall time`, s(oursUp), `curl --data-binary ${s(curlUp)}`, oursUp / curlUp, ' (target ≤ 1.2)');
      line(`upload ${label}: vs undici alone`, s(oursUp), `undici, body in memory ${s(bareUp)}`, oursUp / bareUp, ` (undici alone vs curl: ${(bareUp / curlUp).toFixed(2)}×)`);
      const peakUp = Math.max(...oursRuns.map((r) => r.peakRssGrowthBytes));
      const peakString = Math.max(...stringRuns.map((r) => r.peakRssGrowthBytes));
      eventLoopLine(`upload ${label}`, oursRuns);
      line(`upload ${label}: peak RSS growth / raw input`, `${(peakUp / raw).toFixed(2)}×`, `string JSON ${(peakString / raw).toFixed(2)}×`, peakUp / peakString, ` (${mb(peakUp)} vs ${mb(peakString)}; target ≤ 1.5× raw)`);
      await rm(bodyFile);
    }

    // 3. End to end (create, poll every 250 ms, download the ${sizeMb} MB result), ours vs the OpenAI SDK.
    const e2e: Record<string, WorkerResult[]> = { ours: [], sdk: [], sdkStreamed: [] };
    for (let i = 0; i < runs; i++) {
      for (const [key, task] of [['ours', 'e2e-ours'], ['sdk', 'e2e-sdk'], ['sdkStreamed', 'e2e-sdk-streamed']] as const) {
        const dest = path.join(dir, `e2e-${key}.mp4`);
        e2e[key].push(await worker(task, { apiBaseUrl: sim.apiBaseUrl, token: sim.token, body, dest, pollMs: 250 }));
        if ((await stat(dest)).size !== sizeMb * MB) throw new Error(`${task}: incomplete file`);
        await rm(dest);
      }
    }
    const e2eOurs = median(e2e.ours.map((r) => r.ms));
    const e2eSdk = median(e2e.sdk.map((r) => r.ms));
    const e2eSdkStreamed = median(e2e.sdkStreamed.map((r) => r.ms));
    line(`end to end, ${sizeMb} MB result: wall time`, s(e2eOurs), `openai SDK ${s(e2eSdk)}`, e2eOurs / e2eSdk, ' (target ≤ 1)');
    line(`end to end, ${sizeMb} MB result: peak RSS growth`, mb(Math.max(...e2e.ours.map((r) => r.peakRssGrowthBytes))), `openai SDK ${mb(Math.max(...e2e.sdk.map((r) => r.peakRssGrowthBytes)))}`, Math.max(...e2e.ours.map((r) => r.peakRssGrowthBytes)) / Math.max(...e2e.sdk.map((r) => r.peakRssGrowthBytes)), ' (SDK as documented: arrayBuffer() then writeFile)');
    line(`end to end: vs the SDK streamed by hand`, s(e2eOurs), `SDK + pipeline ${s(e2eSdkStreamed)}`, e2eOurs / e2eSdkStreamed, ` (its peak ${mb(Math.max(...e2e.sdkStreamed.map((r) => r.peakRssGrowthBytes)))})`);
  } finally {
    sim.process.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The poller with 50 jobs: requests per job per interval, and timers while busy and idle. */
async function polling(): Promise<void> {
  const { startSimulator: startInProcess } = await import('../simulator/server');
  const { JobManager } = await import('../../src/core/jobs/jobManager');
  const { JobStore } = await import('../../src/core/jobs/jobStore');
  const { MemoryStateStorage } = await import('../support/memoryState');
  const { OmniVideoClient } = await import('../../src/core/api/apiClient');
  const { buildTextRequest, parseGenerationParams } = await import('../../src/core/api/requestBuilder');
  const sim = await startInProcess({ queuedMs: 300, processingMs: 1500 });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omni-video-bench-poll-'));
  const intervalMs = 200;
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const idleBefore = timers();
  const manager = new JobManager({ client: () => new OmniVideoClient({ baseUrl: sim.apiBaseUrl, getToken: async () => sim.token }), store: new JobStore(new MemoryStateStorage()), pollIntervalMs: () => intervalMs });
  try {
    const jobs = await Promise.all(Array.from({ length: 50 }, (_, i) => {
      const built = buildTextRequest('omni-fast', parseGenerationParams({ prompt: `poll ${i}`, seconds: '4', aspectRatio: '16:9' }));
      return manager.submit({ mode: built.mode, prompt: `poll ${i}`, body: built.body, recordedRequest: built.recorded, outputDir: dir });
    }));
    const busy = timers() - idleBefore;
    await Promise.all(jobs.map((j) => manager.waitFor(j.id)));
    const perJob = new Map<string, number[]>();
    for (const r of sim.requests.filter((q) => q.origin === 'api' && q.method === 'GET' && !q.path.endsWith('/content'))) {
      const id = r.path.split('/').pop()!;
      perJob.set(id, [...(perJob.get(id) ?? []), r.time]);
    }
    const closest = Math.min(...[...perJob.values()].flatMap((t) => t.slice(1).map((time, i) => time - t[i])));
    line('polling 50 jobs: closest two requests of a job', `${closest} ms`, `interval ${intervalMs} ms`, closest / intervalMs, ' (≥ 1: one request per job per interval)');
    line('polling 50 jobs: timers while busy / idle', `${busy} / ${timers() - idleBefore}`, '1 / 0', undefined);
  } finally {
    manager.dispose();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Assemble Film: 12 (and 24) 8 s 1080p H.264 + AAC clips, about 200 MB (made with ffmpeg), joined
 * by packet copy, against `ffmpeg -f concat -c copy` on the same clips; peak RSS growth for 12 and 24
 * clips (it must not grow with the count); the event loop's delay while assembling.
 */
async function film(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omni-video-bench-film-'));
  try {
    await bundleWorker(dir);
    const clips: string[] = [];
    for (let i = 1; i <= 12; i++) {
      const clip = path.join(dir, `clip${i}.mp4`);
      await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=24:duration=8', '-f', 'lavfi', '-i', `sine=frequency=${300 + i * 20}:sample_rate=44100:duration=8`,
        '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '16M', '-maxrate', '16M', '-bufsize', '32M', '-pix_fmt', 'yuv420p', '-g', '48', '-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-shortest', '-movflags', '+faststart', clip]);
      clips.push(clip);
    }
    const total = (await Promise.all(clips.map((c) => stat(c)))).reduce((sum, st) => sum + st.size, 0);
    const list = path.join(dir, 'concat.txt');
    await writeFile(list, clips.map((c) => `file '${c}'\n`).join(''));
    const ffmpegRun = async () => {
      const start = performance.now();
      await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', path.join(dir, 'ffmpeg-film.mp4')]);
      return performance.now() - start;
    };
    const ours: WorkerResult[] = [];
    const reference: number[] = [];
    await ffmpegRun(); // warm the page cache for both
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) reference.push(await ffmpegRun());
      ours.push(await worker('assemble', { clips, dest: path.join(dir, 'film.mp4') }));
      if (i % 2 === 1) reference.push(await ffmpegRun());
    }
    const twice = await worker('assemble', { clips: [...clips, ...clips], dest: path.join(dir, 'film-24.mp4') });
    const oursMs = median(ours.map((r) => r.ms));
    const refMs = median(reference);
    line(`film of 12 × 8 s 1080p (${mb(total)}): wall time`, s(oursMs), `ffmpeg concat -c copy ${s(refMs)}`, oursMs / refMs, ' (target ≤ 2)');
    const peak12 = Math.max(...ours.map((r) => r.peakRssGrowthBytes));
    line('film: peak RSS growth, 12 clips / 24 clips', `${mb(peak12)} / ${mb(twice.peakRssGrowthBytes)}`, '≤ 96 MB, same for 24', twice.peakRssGrowthBytes / peak12);
    eventLoopLine('film of 12 clips', ours);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The event loop's delay while a task ran, the median p99 and the worst max of its runs. */
function eventLoopLine(what: string, results: WorkerResult[]): void {
  const p99 = median(results.map((r) => r.eventLoopP99Ms));
  const max = Math.max(...results.map((r) => r.eventLoopMaxMs));
  line(`${what}: event loop delay p99 / max`, `${p99.toFixed(1)} / ${max.toFixed(1)} ms`, 'target ≤ 10 / ≤ 50 ms', undefined, p99 <= 10 && max <= 50 ? '' : ' (misses the target)');
}

/**
 * A paced link: the storage sends at BENCH_PACE_MBPS MB/s (default 100, a fast home line). Ours and
 * `curl -L` download the same file through /content; wall time as a ratio, and CPU seconds per GB.
 */
async function paced(): Promise<void> {
  const pace = Number(process.env.BENCH_PACE_MBPS ?? 100);
  const pacedMb = Number(process.env.BENCH_PACED_MB ?? 200);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omni-video-bench-paced-'));
  await bundleWorker(dir);
  const file = path.join(dir, 'paced.mp4');
  await makeBigMp4(file, pacedMb * MB);
  const sim = await startSimulator(file, ['--pace-bytes-per-second', String(pace * 1e6)]);
  try {
    const id = await createJob(sim, { model: 'omni-fast', prompt: 'bench paced', seconds: '4', aspect_ratio: '16:9' });
    const contentUrl = `${sim.apiBaseUrl}/videos/${id}/content`;
    const ours: WorkerResult[] = [];
    const ref: { ms: number; cpuMs?: number }[] = [];
    for (let i = 0; i <= runs; i++) {
      const dest = path.join(dir, `paced-${i}.mp4`);
      const oursRun = async () => void ours.push(await worker('download', { apiBaseUrl: sim.apiBaseUrl, token: sim.token, id, dest }));
      const curlRun = async () => void ref.push(await curl(['-L', '-o', dest, '-w', '%{time_total}\n', '-H', `Authorization: Bearer ${sim.token}`, contentUrl]));
      for (const task of i % 2 ? [oursRun, curlRun] : [curlRun, oursRun]) {
        await task();
        if ((await stat(dest)).size !== pacedMb * MB) throw new Error('paced download incomplete');
        await rm(dest);
      }
      if (i === 0) [ours, ref].forEach((list) => list.splice(0));
    }
    const oursMs = median(ours.map((r) => r.ms));
    const refMs = median(ref.map((r) => r.ms));
    line(`paced ${pace} MB/s, ${pacedMb} MB: wall time`, s(oursMs), `curl -L ${s(refMs)}`, oursMs / refMs, ` (target ≤ 1.03; the link alone: ${s((pacedMb * MB) / (pace * 1e6) * 1000)})`);
    const gb = (pacedMb * MB) / 1e9;
    const oursCpu = median(ours.map((r) => r.cpuMs)) / 1000 / gb;
    const curlCpus = ref.map((r) => r.cpuMs).filter((v): v is number => v !== undefined);
    const curlCpu = curlCpus.length ? median(curlCpus) / 1000 / gb : undefined;
    line('paced: CPU seconds per GB', `${oursCpu.toFixed(2)} s`, curlCpu === undefined ? 'curl: n/a (no GNU time)' : `curl ${curlCpu.toFixed(2)} s`, curlCpu === undefined ? undefined : oursCpu / curlCpu);
    eventLoopLine('paced download', ours);
  } finally {
    sim.process.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reading the codecs of a 2 GB file (BENCH_CODECS_MB), as the preview does before playing it. */
async function bigCodecs(): Promise<void> {
  const sizeCodecs = Number(process.env.BENCH_CODECS_MB ?? 2048);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omni-video-bench-codecs-'));
  try {
    await bundleWorker(dir);
    const file = path.join(dir, 'big.mp4');
    await makeBigMp4(file, sizeCodecs * MB);
    const results: WorkerResult[] = [];
    for (let i = 0; i < runs; i++) results.push(await worker('codecs', { apiBaseUrl: '', token: '', dest: file }));
    line(`codecs of a ${sizeCodecs} MB file: wall time`, `${median(results.map((r) => r.ms)).toFixed(1)} ms`, '', undefined);
    eventLoopLine(`codecs of a ${sizeCodecs} MB file`, results);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Bundle and package sizes: a production build and `vsce package`. */
async function sizesAndPolling(): Promise<void> {
  await run('npm', ['run', '--silent', 'package'], { cwd: repo, maxBuffer: 64 * MB });
  const bundle = (await stat(path.join(repo, 'dist', 'extension.js'))).size;
  const vsix = (await stat(path.join(repo, 'omni-video.vsix'))).size;
  line('bundle dist/extension.js (production)', `${(bundle / 1024).toFixed(0)} KB`, '', undefined);
  line('package omni-video.vsix', `${(vsix / 1024).toFixed(0)} KB`, '', undefined);
  await run('npm', ['run', '--silent', 'build'], { cwd: repo, maxBuffer: 64 * MB }); // back to the development build
}

// BENCH_ONLY=download|paced|codecs|film runs that section alone (download: the loopback download figures).
const only = process.env.BENCH_FILM_ONLY ? 'film' : process.env.BENCH_ONLY;
const sections =
  only === 'film' ? film()
  : only === 'paced' ? paced()
  : only === 'codecs' ? bigCodecs()
  : main().then(() => (only ? undefined : paced().then(bigCodecs).then(film).then(polling).then(sizesAndPolling)));
sections.catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
