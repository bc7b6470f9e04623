import assert from 'node:assert/strict';
import { QuietTimer } from '../../src/core/common/quietTimer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('QuietTimer', () => {
  it('runs once, after the pokes stop for its quiet time, however many pokes came', async () => {
    let runs = 0;
    const timer = new QuietTimer(60, () => runs++);
    const started = performance.now();
    let lastPoke = 0;
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 200; j++) timer.poke();
      lastPoke = performance.now();
      await sleep(20);
    }
    assert.equal(runs, 0, 'not while the pokes keep coming');
    while (runs === 0 && performance.now() - started < 2000) await sleep(5);
    assert.equal(runs, 1);
    assert.ok(performance.now() - lastPoke >= 55, `quiet for its time first: ${(performance.now() - lastPoke).toFixed(0)} ms`);
    await sleep(100);
    assert.equal(runs, 1, 'once');
    timer.poke();
    await sleep(100);
    assert.equal(runs, 2, 'a later poke runs it again');
  });

  it('cancel drops a pending run', async () => {
    let runs = 0;
    const timer = new QuietTimer(30, () => runs++);
    timer.poke();
    timer.cancel();
    await sleep(80);
    assert.equal(runs, 0);
  });
});
