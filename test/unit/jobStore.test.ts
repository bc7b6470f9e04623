import assert from 'node:assert/strict';
import type { JobRecord } from '../../src/core/jobs/jobModel';
import { silentLogger } from '../../src/core/common/logger';
import { JobStore, type StateStorage } from '../../src/core/jobs/jobStore';

/** Workspace state as VS Code's Memento behaves: each update takes a while, and the last one wins. */
function slowStorage(): StateStorage & { writes: number; saved(): JobRecord[] } {
  let value: unknown;
  const storage = {
    writes: 0,
    get: <T>() => value as T | undefined,
    update(_key: string, next: unknown) {
      storage.writes += 1;
      const copy = JSON.parse(JSON.stringify(next)) as unknown;
      return new Promise<void>((resolve) => setTimeout(() => ((value = copy), resolve()), 5));
    },
    saved: () => (value ?? []) as JobRecord[],
  };
  return storage;
}

const job = (i: number): JobRecord => ({
  id: `video_${String(i).padStart(4, '0')}`,
  mode: 'text',
  prompt: `Job ${i}`,
  request: { prompt: `Job ${i}` },
  status: 'queued',
  phase: 'tracking',
  progress: 0,
  createdAt: 1_700_000_000_000 + i,
  outputDir: '/tmp/videos',
  downloadAttempts: 0,
});

describe('JobStore: persistence at scale', () => {
  it('a poll round that changes 500 jobs is written once or twice, not 500 times, and the last state is what is stored', async () => {
    const storage = slowStorage();
    const store = new JobStore(storage);
    const heard: string[] = [];
    store.onDidChange((changed) => heard.push(changed.id));
    for (let i = 0; i < 500; i++) store.add(job(i));
    await store.flush();
    const afterAdding = storage.writes;
    assert.ok(afterAdding <= 2, `500 adds in one burst: ${afterAdding} writes`);
    assert.equal(storage.saved().length, 500);

    for (let i = 0; i < 500; i++) store.update(job(i).id, { status: 'in_progress', progress: 40 });
    await store.flush();
    assert.ok(storage.writes - afterAdding <= 2, `500 updates in one burst: ${storage.writes - afterAdding} writes`);
    assert.ok(storage.saved().every((saved) => saved.status === 'in_progress' && saved.progress === 40));
    assert.equal(heard.length, 1000, 'every change is still heard by the views, one by one');
  });

  it('a change made while a write is under way is written after it; flush() waits for both', async () => {
    const storage = slowStorage();
    const store = new JobStore(storage);
    store.add(job(1));
    await new Promise((resolve) => setTimeout(resolve, 1)); // the first write has started
    store.update(job(1).id, { phase: 'saved', status: 'completed', progress: 100, file: '/tmp/videos/one.mp4' });
    store.add(job(2));
    await store.flush();
    assert.equal(storage.writes, 2);
    assert.deepEqual(
      storage.saved().map((saved) => [saved.id, saved.phase]),
      [
        ['video_0001', 'saved'],
        ['video_0002', 'tracking'],
      ],
    );
  });

  it('a removal is written too, and a failing write is logged without losing later ones', async () => {
    const storage = slowStorage();
    let fail = true;
    const update = storage.update.bind(storage);
    storage.update = (key, value) => (fail ? ((fail = false), Promise.reject(new Error('disk full'))) : update(key, value));
    const errors: string[] = [];
    const store = new JobStore(storage, { ...silentLogger, error: (message) => errors.push(message) });
    store.add(job(1));
    await store.flush();
    assert.match(errors[0] ?? '', /Could not save the job list: disk full/);
    store.add(job(2));
    store.remove(job(1).id);
    await store.flush();
    assert.deepEqual(storage.saved().map((saved) => saved.id), ['video_0002']);
  });
});

describe('JobStore: the list', () => {
  it('is newest first through adds out of order, updates and removals, and shows each job as it is now', () => {
    const store = new JobStore(slowStorage(), silentLogger);
    for (const i of [3, 1, 4, 2]) store.add(job(i));
    assert.deepEqual(store.list().map((j) => j.prompt), ['Job 4', 'Job 3', 'Job 2', 'Job 1']);
    store.update('video_0003', { status: 'in_progress', progress: 40 });
    assert.deepEqual(store.list().map((j) => `${j.prompt} ${j.status}`), ['Job 4 queued', 'Job 3 in_progress', 'Job 2 queued', 'Job 1 queued']);
    store.remove('video_0004');
    store.add(job(0));
    assert.deepEqual(store.list().map((j) => j.prompt), ['Job 3', 'Job 2', 'Job 1', 'Job 0']);
    assert.deepEqual(store.active().map((j) => j.prompt), ['Job 3', 'Job 2', 'Job 1', 'Job 0']);
  });

  it('puts jobs created in the same second (the server counts seconds) the last added first', () => {
    const store = new JobStore(slowStorage(), silentLogger);
    const sameSecond = (i: number) => ({ ...job(i), createdAt: 1_700_000_000_000 });
    for (const i of [1, 2, 3]) store.add(sameSecond(i));
    store.add({ ...job(0), createdAt: 1_699_999_999_000 }); // a second earlier, added last
    assert.deepEqual(store.list().map((j) => j.prompt), ['Job 3', 'Job 2', 'Job 1', 'Job 0']);
  });
});
