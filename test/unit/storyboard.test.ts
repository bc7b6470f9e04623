import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { JobRecord } from '../../src/core/jobs/jobModel';
import { parseStoryboard } from '../../src/core/storyboard/parser';
import { planBoard, type RunEntry } from '../../src/core/storyboard/planner';
import { applyLineEdit, applyLineEdits, chooseTakeEdit, chooseTakesEdits } from '../../src/core/storyboard/writeBack';

const HARBOUR = `---
omniVideo: storyboard
seconds: "4"
aspectRatio: "16:9"
---
# Harbour

## Dawn
![first frame](images/harbour.png)
Fishing boats leave the harbour at dawn, gulls circle, warm light, slow pan right.

## Open sea
The boats cut through grey swell, spray over the bow, handheld camera.
`;

describe('Storyboard: the parser', () => {
  it('reads the front matter, the title and each ## shot with its prose, images and number', () => {
    const board = parseStoryboard(HARBOUR);
    assert.equal(board.isStoryboard, true);
    assert.equal(board.title, 'Harbour');
    assert.deepEqual(board.settings, { chain: true, seconds: '4', aspectRatio: '16:9' });
    assert.deepEqual(board.problems, []);
    assert.deepEqual(
      board.shots.map((s) => [s.index, s.title, s.prompt, s.images.map((i) => i.path), s.problems]),
      [
        [1, 'Dawn', 'Fishing boats leave the harbour at dawn, gulls circle, warm light, slow pan right.', ['images/harbour.png'], []],
        [2, 'Open sea', 'The boats cut through grey swell, spray over the bow, handheld camera.', [], []],
      ],
    );
    assert.equal(board.shots[0].headingLine, 7);
    assert.equal(board.shots[1].headingLine, 11);
  });

  it('a Markdown file without the front matter is not a storyboard; chain: false and bad values are read and said', () => {
    assert.equal(parseStoryboard('# Notes\n\n## A\ntext\n').isStoryboard, false);
    const board = parseStoryboard('---\nomniVideo: storyboard\nchain: false\nseconds: 7\naspectRatio: 1:1\nauthor: me\n---\n## A\nx\n');
    assert.equal(board.settings.chain, false);
    assert.equal(board.settings.aspectRatio, '1:1');
    assert.equal(board.settings.seconds, undefined);
    assert.equal(board.problems.length, 1);
    assert.match(board.problems[0], /seconds: "7" is not valid/);
  });

  it('headings inside code fences are not shots; code, HTML comments, images and the video line are not prose; list items are lines', () => {
    const board = parseStoryboard(
      [
        '---',
        'omniVideo: storyboard',
        '---',
        '## One',
        'A lighthouse at dusk,',
        'the beam sweeps the fog. ![ref](a.png)',
        '',
        '- slow dolly-in',
        '* warm light',
        '<!-- a note for me',
        '## not a shot inside a comment',
        '-->',
        '```',
        '## not a shot inside a fence',
        '```',
        '~~~md',
        'code',
        '~~~',
        '<video src="../videos/one.mp4" controls></video>',
        '### Camera',
        'Keep it steady.',
        '## Two',
        '![first](b.png) ![last](c.png)',
      ].join('\n'),
    );
    assert.equal(board.shots.length, 2);
    assert.equal(board.shots[0].prompt, 'A lighthouse at dusk, the beam sweeps the fog.\nslow dolly-in\nwarm light\nKeep it steady.');
    assert.deepEqual(board.shots[0].images.map((i) => i.path), ['a.png']);
    assert.deepEqual(board.shots[0].video, { line: 18, src: '../videos/one.mp4' });
    assert.deepEqual(board.shots[1].images.map((i) => i.path), ['b.png', 'c.png']);
    assert.deepEqual(board.shots[1].problems, ['This shot has no prose to use as its prompt.']);
  });

  it('CRLF files and Chinese text', () => {
    const board = parseStoryboard('---\r\nomniVideo: storyboard\r\n---\r\n# 港口\r\n\r\n## 黎明\r\n渔船在黎明时分驶出港口，海鸥盘旋，暖光，镜头缓慢右移。\r\n');
    assert.equal(board.eol, '\r\n');
    assert.equal(board.title, '港口');
    assert.equal(board.shots[0].title, '黎明');
    assert.equal(board.shots[0].prompt, '渔船在黎明时分驶出港口，海鸥盘旋，暖光，镜头缓慢右移。');
  });

  it('flags a shot with three images or a prompt over 4000 characters', () => {
    const board = parseStoryboard(`---\nomniVideo: storyboard\n---\n## A\n![](1.png) ![](2.png) ![](3.png)\nx\n## B\n${'y'.repeat(4001)}\n`);
    assert.match(board.shots[0].problems.join(), /one image .* or two .* this one has 3/);
    assert.match(board.shots[1].problems.join(), /4001 characters/);
  });
});

describe('Storyboard: the write-back', () => {
  const boardPath = path.join('/w', 'harbour.md');
  const take = (name: string) => path.join('/w', 'videos', name);

  it('appends the video line as the shot\'s last non-blank line, then replaces it; the user\'s text is untouched; idempotent', () => {
    const first = chooseTakeEdit(HARBOUR, boardPath, 1, take('dawn 1.mp4'))!;
    const once = applyLineEdit(HARBOUR, first);
    assert.equal(chooseTakeEdit(once, boardPath, 1, take('dawn 1.mp4')), undefined, 'the same take again changes nothing');
    assert.equal(once, HARBOUR.replace('slow pan right.\n', 'slow pan right.\n<video src="videos/dawn%201.mp4" controls></video>\n'));
    const second = applyLineEdit(once, chooseTakeEdit(once, boardPath, 2, take('sea.mp4'))!);
    assert.ok(second.endsWith('handheld camera.\n<video src="videos/sea.mp4" controls></video>\n'));
    const replaced = applyLineEdit(second, chooseTakeEdit(second, boardPath, 1, take('dawn-2.mp4'))!);
    assert.equal(replaced, second.replace('videos/dawn%201.mp4', 'videos/dawn-2.mp4'));
    assert.equal(parseStoryboard(replaced).shots[0].prompt, parseStoryboard(HARBOUR).shots[0].prompt, 'the video line is not prose');
    // Every line that is not a video line is the user's, in the same order.
    const own = (text: string) => text.split('\n').filter((l) => !l.startsWith('<video'));
    assert.deepEqual(own(replaced), own(HARBOUR));
  });

  it('a shot followed by blank lines gets the line before them; a file without a final line break; CRLF stays CRLF', () => {
    const text = '---\r\nomniVideo: storyboard\r\n---\r\n## A\r\nwaves\r\n\r\n\r\n## B\r\nrocks';
    const a = applyLineEdit(text, chooseTakeEdit(text, boardPath, 1, take('a.mp4'))!);
    assert.equal(a, text.replace('waves\r\n', 'waves\r\n<video src="videos/a.mp4" controls></video>\r\n'));
    const b = applyLineEdit(a, chooseTakeEdit(a, boardPath, 2, take('b.mp4'))!);
    assert.ok(b.endsWith('rocks\r\n<video src="videos/b.mp4" controls></video>'));
    assert.equal(parseStoryboard(b).shots[1].video?.src, 'videos/b.mp4');
  });

  it('takes saved together are written in one edit: the same text as one at a time, the last take of a shot winning', () => {
    for (const text of [HARBOUR, '---\r\nomniVideo: storyboard\r\n---\r\n## A\r\nwaves\r\n\r\n## B\r\nrocks\r\n<video src="videos/old.mp4" controls></video>\r\n## C\r\nsand']) {
      const takes: [number, string][] = [[2, take('b.mp4')], [1, take('a.mp4')], [3, take('c.mp4')], [1, take('a2.mp4')]];
      const edits = chooseTakesEdits(text, boardPath, takes);
      assert.deepEqual(edits.map((e) => e.startLine), [...edits.map((e) => e.startLine)].sort((x, y) => x - y), 'in document order');
      const oneByOne = takes.reduce((current, [index, video]) => {
        const edit = chooseTakeEdit(current, boardPath, index, video);
        return edit ? applyLineEdit(current, edit) : current;
      }, text);
      assert.equal(applyLineEdits(text, edits), oneByOne);
      assert.deepEqual(parseStoryboard(oneByOne).shots.map((shot) => shot.video?.src).filter(Boolean).slice(0, 2), ['videos/a2.mp4', 'videos/b.mp4']);
      assert.deepEqual(chooseTakesEdits(oneByOne, boardPath, takes), [], 'written already: nothing to do');
    }
  });
});

describe('Storyboard: the planner', () => {
  const board = parseStoryboard(
    '---\nomniVideo: storyboard\n---\n## One\nfirst\n## Two\nsecond\n## Three\n![own](own.png)\nthird\n## Four\nfourth\n',
  );
  let created = 0;
  const job = (shot: number, phase: JobRecord['phase'], extra: Partial<JobRecord> = {}): JobRecord => ({
    id: `job-${shot}-${++created}`,
    mode: 'text',
    prompt: 'p',
    request: {},
    status: phase === 'tracking' ? 'in_progress' : phase === 'saved' ? 'completed' : 'failed',
    phase,
    progress: 40,
    createdAt: created,
    outputDir: '/w/videos',
    downloadAttempts: 0,
    storyboard: { file: '/w/b.md', shot, title: board.shots[shot - 1].title },
    ...extra,
  });
  const entries = (...shots: number[]): RunEntry[] => shots.map((shot) => ({ shot, title: board.shots[shot - 1].title, state: 'waiting' }));

  it('a fresh chained run: shot 1 and the shot with its own image start at once; 2 and 4 wait', () => {
    const plan = planBoard(board, [], entries(1, 2, 3, 4), () => undefined);
    assert.deepEqual(plan.ready.map((r) => [r.shot.index, r.after]), [[1, undefined], [3, undefined]]);
    assert.deepEqual(plan.shots.map((s) => s.state), ['waiting', 'waiting', 'waiting', 'waiting']);
  });

  it('when shot 1 is saved, shot 2 starts from its chosen take; a running shot 3 makes shot 4 wait', () => {
    const jobs = [job(1, 'saved', { file: '/w/videos/one.mp4' }), job(3, 'tracking')];
    const plan = planBoard(board, jobs, entries(2, 4), (shot) => (shot.index === 1 ? '/w/videos/one.mp4' : undefined));
    assert.deepEqual(plan.ready.map((r) => [r.shot.index, r.after]), [[2, { shot: 1, video: '/w/videos/one.mp4' }]]);
    assert.deepEqual(plan.shots.map((s) => s.state), ['saved', 'waiting', 'in_progress', 'waiting']);
  });

  it('a failed shot stops the chain after it with its reason; the shot with its own image goes on', () => {
    const jobs = [job(1, 'failed', { error: 'refused' })];
    const plan = planBoard(board, jobs, entries(2, 3, 4), () => undefined);
    assert.deepEqual(plan.shots.map((s) => s.state), ['failed', 'blocked', 'waiting', 'waiting']);
    assert.match(plan.shots[1].error!, /Shot 1 failed/);
    assert.deepEqual(plan.ready.map((r) => r.shot.index), [3]);
  });

  it('a partial board: asking for shot 2 alone needs shot 1 to have a take', () => {
    assert.equal(planBoard(board, [], entries(2), () => undefined).shots[1].state, 'blocked');
    const withTake = planBoard(board, [], entries(2), (shot) => (shot.index === 1 ? '/w/videos/earlier.mp4' : undefined));
    assert.deepEqual(withTake.ready[0].after, { shot: 1, video: '/w/videos/earlier.mp4' });
    assert.equal(withTake.shots[0].state, 'saved', 'a take found on disk without a job counts as saved');
  });

  it('resume from saved state: a shot being submitted is not ready again, a refused one stays failed, a deleted shot is stale', () => {
    const run: RunEntry[] = [
      { shot: 1, title: 'One', state: 'submitting', since: 5 },
      { shot: 2, title: 'Two', state: 'failed', error: 'The daily limit…' },
      { shot: 9, title: 'Gone', state: 'waiting' },
    ];
    const plan = planBoard(board, [], run, () => undefined);
    assert.deepEqual(plan.ready, []);
    assert.deepEqual(plan.shots.slice(0, 2).map((s) => [s.state, s.error]), [['queued', undefined], ['failed', 'The daily limit…']]);
    assert.deepEqual(plan.stale.map((e) => e.title), ['Gone']);
  });

  it('chain: false submits every shot at once', () => {
    const unchained = { ...board, settings: { ...board.settings, chain: false } };
    assert.deepEqual(planBoard(unchained, [], entries(1, 2, 3, 4), () => undefined).ready.map((r) => r.shot.index), [1, 2, 3, 4]);
  });

  it('takes follow their shot by title when the shots are reordered', () => {
    const reordered = parseStoryboard('---\nomniVideo: storyboard\n---\n## Two\nsecond\n## One\nfirst\n');
    const plan = planBoard(reordered, [job(1, 'tracking')], [], () => undefined);
    assert.deepEqual(plan.shots.map((s) => s.state), ['none', 'in_progress']);
  });
});
