import assert from 'node:assert/strict';
import { Slots } from '../../src/core/common/slots';
import { JobManager } from '../../src/core/jobs/jobManager';
import { JobStore } from '../../src/core/jobs/jobStore';
import type { OmniVideoClient } from '../../src/core/api/apiClient';
import { MemoryStateStorage } from '../support/memoryState';

const cancelled = () => new Error('cancelled');

describe('Slots', () => {
  it('lets `size` holders in at once, the others in the order they asked, each release only once', async () => {
    const slots = new Slots(2);
    const order: number[] = [];
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 7 }, async (_, i) => {
        const release = await slots.acquire(undefined, cancelled);
        order.push(i);
        most = Math.max(most, ++inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside--;
        release();
        release(); // a second release gives nothing back
      }),
    );
    assert.equal(most, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6]);
  });

  it('a wait that is aborted ends with the given error and leaves its place to the next', async () => {
    const slots = new Slots(1);
    const first = await slots.acquire(undefined, cancelled);
    const abort = new AbortController();
    const aborted = slots.acquire(abort.signal, cancelled);
    const next = slots.acquire(undefined, cancelled);
    abort.abort();
    await assert.rejects(aborted, /cancelled/);
    first();
    const release = await next;
    release();
    await assert.rejects(slots.acquire(abort.signal, cancelled), /cancelled/, 'already aborted: refused at once');
  });
});

describe('JobManager: a batch of creates', () => {
  it('sends at most 8 create requests at once, and each of 30 is accepted once', async () => {
    let inFlight = 0;
    let most = 0;
    let sent = 0;
    const client = {
      videosUrl: 'http://127.0.0.1:1/v1/videos',
      async createVideo() {
        const n = ++sent;
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight--;
        return { id: `video_${n}`, status: 'queued', progress: 0 };
      },
      async getVideo(id: string) {
        return { id, status: 'queued', progress: 0 };
      },
    } as unknown as OmniVideoClient;
    const manager = new JobManager({ client: () => client, store: new JobStore(new MemoryStateStorage()), pollIntervalMs: () => 60_000 });
    try {
      const jobs = await Promise.all(
        Array.from({ length: 30 }, (_, i) => manager.submit({ mode: 'text', prompt: `Batch ${i}`, body: { model: 'omni-fast', prompt: `Batch ${i}` }, recordedRequest: {}, outputDir: '/tmp' })),
      );
      assert.equal(new Set(jobs.map((job) => job.id)).size, 30);
      assert.equal(sent, 30);
      assert.ok(most <= 8 && most >= 2, `at most 8 at once: ${most}`);
    } finally {
      manager.dispose();
    }
  });
});
