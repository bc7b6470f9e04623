// One bench task in its own process, so that its memory is its own: prints one JSON line.
//   node --import tsx test/bench/worker.ts <task> '<json arguments>'
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OmniVideoClient } from '../../src/core/api/apiClient';
import { prepareMedia } from '../../src/core/api/mediaInput';
import { buildModeRequest } from '../../src/core/api/modeRequests';
import { jsonBody } from '../../src/core/api/requestBody';
import { parseGenerationParams } from '../../src/core/api/requestBuilder';
import * as undiciPackage from 'undici';
import { assembleFilmInWorker } from '../../src/core/media/filmInWorker';
import { readVideoCodecs } from '../../src/core/media/videoCodecs';
import { measure } from './measure';

interface UploadFile {
  path: string;
  role: 'reference' | 'video';
}

interface Args {
  files?: UploadFile[];
  apiBaseUrl: string;
  token: string;
  id?: string;
  dest?: string;
  clips?: string[];
  body?: unknown;
  pollMs?: number;
  fileBuffer?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * As in the extension after its first request: undici loaded, and its HTTP parser (WebAssembly)
 * compiled. V8 optimises the parser in the background after the first request, for about 0.3 s and
 * some 30 MB held meanwhile, once per session (the `first-request` task measures that). The
 * warm-up's agent is closed, so the measured requests open new connections, as curl does.
 */
async function warmUp(args: Args): Promise<void> {
  const agent = new (undiciPackage.Agent)();
  await undiciPackage.request(`${args.apiBaseUrl}/videos/warm-up`, { dispatcher: agent, headers: { authorization: `Bearer ${args.token}` } }).then((r) => r.body.dump());
  await agent.close();
  await sleep(600);
}

async function main(): Promise<void> {
  const [task, raw] = process.argv.slice(2);
  const args = JSON.parse(raw ?? '{}') as Args;
  // The download and upload figures are a running extension's; the first-request and end-to-end
  // ones start cold, as a session that makes one video does (its polls warm undici before the download).
  if (!task.startsWith('e2e-') && !['first-request', 'assemble', 'codecs'].includes(task)) await warmUp(args);
  const client = () => new OmniVideoClient({ baseUrl: args.apiBaseUrl, getToken: async () => args.token, requestTimeoutMs: 120_000 });
  let result;
  switch (task) {
    case 'download': {
      const c = client();
      result = await measure(() => c.downloadContent(args.id!, args.dest!));
      break;
    }
    case 'download-bare': {
      // undici alone, for reference: the same two requests and a pipeline into the file, no checks,
      // with the client's 1 MB file buffer or Node's default (16 KB).
      const u = undiciPackage;
      result = await measure(async () => {
        const redirect = await u.request(`${args.apiBaseUrl}/videos/${args.id}/content`, { headers: { authorization: `Bearer ${args.token}` } });
        await redirect.body.dump();
        const response = await u.request(String(redirect.headers.location));
        await pipeline(response.body, createWriteStream(args.dest!, args.fileBuffer ? { highWaterMark: args.fileBuffer } : {}));
      });
      break;
    }
    case 'first-request': {
      // A new session's first request, and what V8 does after it (optimising undici's parser).
      const c = client();
      let firstMs = 0;
      result = await measure(async () => {
        const start = performance.now();
        await c.getVideo(args.id!);
        firstMs = performance.now() - start;
        await sleep(600);
      });
      const start = performance.now();
      await c.getVideo(args.id!);
      Object.assign(result, { firstMs, nextMs: performance.now() - start });
      break;
    }
    case 'upload': {
      // Ours: files checked from their first and last bytes, then streamed as base64 inside the JSON.
      const c = client();
      result = await measure(async () => {
        const prepared = await Promise.all(args.files!.map((f) => prepareMedia({ kind: 'file', path: f.path, displayPath: path.basename(f.path) }, f.role)));
        const images = prepared.filter((p) => p.role === 'reference');
        const video = prepared.find((p) => p.role === 'video');
        const media = video ? ({ mode: 'video', video } as const) : ({ mode: 'references', images } as const);
        const built = buildModeRequest('omni-fast', parseGenerationParams({ prompt: 'bench upload', seconds: '4', aspectRatio: '16:9' }), media);
        return c.createVideo(built.body);
      });
      break;
    }
    case 'upload-bare': {
      // undici alone, for reference: the finished body (the file curl sends), already in memory.
      const u = undiciPackage;
      const body = await readFile(args.dest!);
      result = await measure(async () => {
        const response = await u.request(`${args.apiBaseUrl}/videos`, { method: 'POST', headers: { authorization: `Bearer ${args.token}`, 'content-type': 'application/json' }, body });
        return response.body.json();
      });
      break;
    }
    case 'upload-string': {
      // The usual way, for reference: each file read whole, base64 strings, one JSON string, sent.
      const u = undiciPackage;
      result = await measure(async () => {
        const body: Record<string, unknown> = { model: 'omni-fast', prompt: 'bench upload', seconds: '4', aspect_ratio: '16:9' };
        const uris = await Promise.all(args.files!.map(async (f) => `data:${f.role === 'video' ? 'video/mp4' : 'image/png'};base64,${(await readFile(f.path)).toString('base64')}`));
        if (args.files![0].role === 'video') body.video = uris[0];
        else body.images = uris;
        const response = await u.request(`${args.apiBaseUrl}/videos`, { method: 'POST', headers: { authorization: `Bearer ${args.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return response.body.json();
      });
      break;
    }
    case 'write-body': {
      // The same body as `upload`, written to a file for `curl --data-binary @file`.
      const prepared = await Promise.all(args.files!.map((f) => prepareMedia({ kind: 'file', path: f.path, displayPath: path.basename(f.path) }, f.role)));
      const video = prepared.find((p) => p.role === 'video');
      const media = video ? ({ mode: 'video', video } as const) : ({ mode: 'references', images: prepared } as const);
      const built = buildModeRequest('omni-fast', parseGenerationParams({ prompt: 'bench upload', seconds: '4', aspectRatio: '16:9' }), media);
      const body = jsonBody(built.body);
      result = await measure(() => (typeof body === 'string' ? writeFile(args.dest!, body) : pipeline(Readable.from(body.chunks()), createWriteStream(args.dest!))));
      break;
    }
    case 'e2e-ours': {
      const c = client();
      result = await measure(async () => {
        const job = await c.createVideo(args.body as never);
        let status = job.status;
        while (status !== 'completed' && status !== 'failed') {
          await sleep(args.pollMs ?? 250);
          status = (await c.getVideo(job.id)).status;
        }
        return c.downloadContent(job.id, args.dest!);
      });
      break;
    }
    case 'e2e-sdk': {
      const { default: OpenAI } = await import('openai');
      const openai = new OpenAI({ apiKey: args.token, baseURL: args.apiBaseUrl, maxRetries: 0 });
      const body = args.body as { model: string; prompt: string; seconds: string };
      result = await measure(async () => {
        let job = await openai.videos.create({ model: body.model as never, prompt: body.prompt, seconds: body.seconds as never, size: '1280x720' });
        while (job.status !== 'completed' && job.status !== 'failed') {
          await sleep(args.pollMs ?? 250);
          job = await openai.videos.retrieve(job.id);
        }
        // The SDK's documented way: downloadContent() resolves to a Response; read it and write the file.
        const content = await openai.videos.downloadContent(job.id);
        const bytes = Buffer.from(await content.arrayBuffer());
        await writeFile(args.dest!, bytes);
        return { bytes: bytes.length };
      });
      break;
    }
    case 'e2e-sdk-streamed': {
      const { default: OpenAI } = await import('openai');
      const openai = new OpenAI({ apiKey: args.token, baseURL: args.apiBaseUrl, maxRetries: 0 });
      const body = args.body as { model: string; prompt: string; seconds: string };
      result = await measure(async () => {
        let job = await openai.videos.create({ model: body.model as never, prompt: body.prompt, seconds: body.seconds as never, size: '1280x720' });
        while (job.status !== 'completed' && job.status !== 'failed') {
          await sleep(args.pollMs ?? 250);
          job = await openai.videos.retrieve(job.id);
        }
        const content = await openai.videos.downloadContent(job.id);
        await pipeline(Readable.fromWeb(content.body as never), createWriteStream(args.dest!));
        return {};
      });
      break;
    }
    case 'assemble': {
      // A film of the clips on a worker thread, as the extension makes it (the event loop's delay
      // meanwhile is in every measure(): the main thread's; memory and CPU time count the worker's too).
      result = await measure(() => assembleFilmInWorker(args.clips!.map((clip, i) => ({ path: clip, title: `Shot ${i + 1}` })), args.dest!));
      break;
    }
    case 'codecs': {
      // Reading the codecs of a big file, as the preview does before it plays it.
      result = await measure(() => readVideoCodecs(args.dest!));
      break;
    }
    default:
      throw new Error(`unknown task ${task}`);
  }
  const { value: _value, ...figures } = result;
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
