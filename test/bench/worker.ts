// One bench task in its own process, so that its memory is its own: prints one JSON line.
//   node --import tsx test/bench/worker.ts <task> '<json arguments>'
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OmniVideoClient } from '../../src/core/apiClient';
import { undici } from '../../src/core/undiciLoader';
import { measure } from './measure';

interface Args {
  apiBaseUrl: string;
  token: string;
  id?: string;
  dest?: string;
  body?: unknown;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const [task, raw] = process.argv.slice(2);
  const args = JSON.parse(raw ?? '{}') as Args;
  // Loaded before measuring, as in the extension after its first request: code is not data.
  undici();
  const client = () => new OmniVideoClient({ baseUrl: args.apiBaseUrl, getToken: async () => args.token, requestTimeoutMs: 120_000 });
  let result;
  switch (task) {
    case 'download': {
      const c = client();
      result = await measure(() => c.downloadContent(args.id!, args.dest!));
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
    default:
      throw new Error(`unknown task ${task}`);
  }
  process.stdout.write(`${JSON.stringify({ ms: result.ms, peakRssGrowthBytes: result.peakRssGrowthBytes, baselineRssBytes: result.baselineRssBytes })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
