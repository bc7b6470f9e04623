// A disk that fills up during the download. As root, a real one: a small tmpfs mounted for the test
// with a filler file that leaves less room than the video needs. Elsewhere, the same at the Node
// level: the file stream fails with ENOSPC once the room is used up. Either way the job says the
// video is ready but the disk is full, leaves no file under its name, and Retry saves it whole once
// there is room, with the one POST it had.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
// The module object itself (writable), which the client's `createWriteStream` import reads at each call.
import nodeFs from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { buildTextRequest, parseGenerationParams } from '../../src/core/api/requestBuilder';
import { JobManager } from '../../src/core/jobs/jobManager';
import { JobStore } from '../../src/core/jobs/jobStore';
import { startSimulator, LANDSCAPE_FIXTURE, type Simulator } from '../simulator/server';
import { MemoryStateStorage } from '../support/memoryState';
import { clientFor, createCount, tempDir } from './helpers';

const VIDEO_BYTES = fs.statSync(LANDSCAPE_FIXTURE).size;

/** Room for a third of the video: the download fails part way. */
interface FullDisk {
  folder: string;
  kind: string;
  freeSpace(): Promise<void>;
  dispose(): Promise<void>;
}

function canMount(): boolean {
  if (process.getuid?.() !== 0 || process.platform !== 'linux') return false;
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function tmpfsDisk(root: string): Promise<FullDisk | undefined> {
  const folder = path.join(root, 'small-disk');
  await mkdir(folder);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${VIDEO_BYTES * 2}`, 'omni-video-full-disk', folder], { stdio: 'pipe' });
  } catch {
    return undefined; // no CAP_SYS_ADMIN in this container: the Node-level disk instead
  }
  const filler = path.join(folder, 'filler.bin');
  // tmpfs counts whole pages: fill all but a third of the video.
  await writeFile(filler, Buffer.alloc(VIDEO_BYTES * 2 - Math.floor(VIDEO_BYTES / 3)));
  return {
    folder,
    kind: 'a tmpfs of 2× the video, nearly full',
    freeSpace: () => rm(filler),
    dispose: async () => {
      execFileSync('umount', [folder]);
    },
  };
}

/** fs.createWriteStream into `folder` fails with ENOSPC after `room` bytes, as a full disk does. */
async function nodeLevelDisk(root: string): Promise<FullDisk> {
  const folder = path.join(root, 'small-disk');
  await mkdir(folder, { recursive: true });
  const original = nodeFs.createWriteStream;
  let room = Math.floor(VIDEO_BYTES / 3);
  nodeFs.createWriteStream = ((file: fs.PathLike, options?: Parameters<typeof fs.createWriteStream>[1]) => {
    const real = original(file, options);
    if (!String(file).startsWith(folder) || room === Infinity) return real;
    let used = 0;
    const full = new Writable({
      highWaterMark: 1024 * 1024,
      write(chunk: Buffer, _encoding, done) {
        if (used + chunk.length > room) {
          const fits = chunk.subarray(0, Math.max(0, room - used));
          used = room;
          real.write(fits, () => done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' })));
          return;
        }
        used += chunk.length;
        real.write(chunk, done);
      },
      final(done) {
        real.end(done);
      },
      destroy(error, done) {
        real.destroy();
        real.once('close', () => done(error));
      },
    });
    Object.defineProperty(full, 'bytesWritten', { get: () => real.bytesWritten });
    return full as unknown as fs.WriteStream;
  }) as typeof fs.createWriteStream;
  return {
    folder,
    kind: 'a Node-level disk (fs.createWriteStream fails with ENOSPC)',
    freeSpace: async () => {
      room = Infinity;
    },
    dispose: async () => {
      nodeFs.createWriteStream = original;
    },
  };
}

describe('A disk that fills up during the download', () => {
  let sim: Simulator;
  let dir: string;
  let cleanup: () => Promise<void>;
  let disk: FullDisk | undefined;
  let manager: JobManager | undefined;

  before(async () => {
    sim = await startSimulator({ queuedMs: 40, processingMs: 120 });
  });
  after(() => sim.close());
  beforeEach(async () => {
    sim.reset();
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    manager?.dispose();
    await disk?.dispose();
    disk = undefined;
    await cleanup();
  });

  for (const kind of ['tmpfs', 'node'] as const) {
    it(`${kind === 'tmpfs' ? 'a real tmpfs (as root)' : 'a Node-level ENOSPC'}: "ready but the disk is full", no file under its name, and Retry saves it byte-identical with the one POST`, async function () {
      if (kind === 'tmpfs') {
        disk = canMount() ? await tmpfsDisk(dir) : undefined;
        if (!disk) this.skip(); // not root, or no mount permission: the Node-level case covers it
      } else {
        disk = await nodeLevelDisk(dir);
      }
      const { folder } = disk!;
      const built = buildTextRequest('omni-fast', parseGenerationParams({ prompt: 'A harbour at dawn, saved to a full disk', seconds: '8', aspectRatio: '16:9' }));
      manager = new JobManager({ client: () => clientFor(sim), store: new JobStore(new MemoryStateStorage()), pollIntervalMs: () => 40 });
      const job = await manager.submit({ mode: built.mode, prompt: built.body.prompt, body: built.body, recordedRequest: built.recorded, outputDir: folder });
      const failed = await manager.waitFor(job.id);

      assert.equal(failed.phase, 'downloadFailed', `${disk!.kind}: ${failed.error}`);
      assert.match(failed.error ?? '', /^The video is ready but could not be saved: The disk is full: .*\.mp4 could not be written \(0\.\d of 0\.3 MB fitted\)\. Free some space, then choose Retry; the video is downloaded again, not generated again\.$/);
      const left = (await readdir(folder)).filter((f) => f !== 'filler.bin');
      assert.deepEqual(left, [], `nothing left behind, neither the final name nor a part file: ${left.join(', ')}`);

      await disk!.freeSpace();
      assert.equal(manager.retry(job.id), true);
      const done = await manager.waitFor(job.id);
      assert.equal(done.phase, 'saved', done.error);
      assert.ok((await readFile(done.file!)).equals(await readFile(LANDSCAPE_FIXTURE)), 'byte-identical');
      assert.equal(path.dirname(done.file!), folder);
      assert.equal(createCount(sim), 1, 'one POST: the retry downloads, it does not generate again');
      console.log(`      ${disk!.kind}: failed as "${failed.error!.slice(0, 60)}…", then saved ${VIDEO_BYTES} bytes`);
    });
  }
});
