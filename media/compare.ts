// Compare Takes: two takes of a shot side by side. The left video leads; the right one follows it on
// play, pause, seek and frame steps, and is pulled back into step whenever they drift apart.
import type { CompareState, CompareToHost, CompareWebviewState, HostToCompare } from '../src/shared/compareProtocol';
import { el, vsCodeApi } from './dom';

const vscode = vsCodeApi<CompareToHost, CompareWebviewState>();
const root = document.getElementById('root') as HTMLElement;
let videos: HTMLVideoElement[] = [];
let frame = 1 / 24;

/**
 * Keeps the right video on the left one's time: paused or far apart (over two frames), it seeks there;
 * playing and a little apart, it runs a few per cent faster or slower until it is back in step, as
 * seeking a playing video every frame would stutter.
 */
function keepInStep(): void {
  const [lead, follower] = videos;
  if (!lead || !follower) return;
  if (lead.paused !== follower.paused) void (lead.paused ? follower.pause() : follower.play().catch(() => undefined));
  const drift = lead.currentTime - follower.currentTime;
  if (lead.paused || Math.abs(drift) > 2 * frame) {
    if (Math.abs(drift) > frame / 4) follower.currentTime = Math.min(lead.currentTime, follower.duration || lead.currentTime);
    follower.playbackRate = 1;
  } else {
    follower.playbackRate = 1 + Math.max(-0.1, Math.min(0.1, drift * 2));
  }
}

/** Checks the step on every frame the left video presents, where the browser can say (else on timeupdate). */
function followFrames(lead: HTMLVideoElement): void {
  type FrameCallback = () => void;
  const withFrames = lead as HTMLVideoElement & { requestVideoFrameCallback?: (callback: FrameCallback) => number };
  if (!withFrames.requestVideoFrameCallback) return;
  const onFrame = () => {
    if (videos[0] !== lead) return; // a new render replaced this pair
    keepInStep();
    withFrames.requestVideoFrameCallback!(onFrame);
  };
  withFrames.requestVideoFrameCallback(onFrame);
}

function playPause(): void {
  const playing = videos.some((v) => !v.paused);
  for (const video of videos) {
    if (playing) video.pause();
    else void video.play().catch(() => undefined);
  }
}

function step(frames: number): void {
  for (const video of videos) video.pause();
  const target = Math.max(0, Math.min((videos[0]?.duration || 0) - frame / 2, (videos[0]?.currentTime ?? 0) + frames * frame));
  for (const video of videos) video.currentTime = target;
}

function render(state: CompareState): void {
  const l = state.labels;
  frame = 1 / (state.frameRate || 24);
  vscode.setState({ board: state.board, shot: state.shot, left: state.left, right: state.right });
  const side = (which: 'left' | 'right', index: number) => {
    const take = state.takes[index];
    const video = el('video', { className: 'take' });
    video.src = take?.src ?? '';
    video.muted = which === 'right'; // one soundtrack at a time
    video.loop = true;
    video.preload = 'auto';
    video.setAttribute('aria-label', `${which === 'left' ? l.left : l.right}: ${take?.label ?? ''}`);
    const picker = el('select');
    picker.setAttribute('aria-label', which === 'left' ? l.left : l.right);
    state.takes.forEach((t, i) => {
      const option = el('option', { text: t.chosen ? `${t.label} (${l.chosen})` : t.label });
      option.value = String(i);
      option.selected = i === index;
      picker.append(option);
    });
    picker.addEventListener('change', () => vscode.postMessage({ type: 'show', side: which, take: Number(picker.value) }));
    const use = el('button', { text: take?.chosen ? l.chosen : l.useThisTake, className: take?.chosen ? 'secondary' : '' });
    use.type = 'button';
    use.disabled = !take || take.chosen;
    use.addEventListener('click', () => vscode.postMessage({ type: 'useTake', take: index }));
    return { video, column: el('section', { className: 'column' }, picker, video, el('p', { className: 'prompt', text: take?.prompt ?? '' }), use) };
  };
  const left = side('left', state.left);
  const right = side('right', state.right);
  videos = [left.video, right.video];
  followFrames(left.video);
  const toggle = el('button', { id: 'playPause', text: l.play });
  toggle.type = 'button';
  toggle.addEventListener('click', playPause);
  const back = el('button', { text: '‹', className: 'secondary' });
  back.type = 'button';
  back.title = `${l.previousFrame} (,)`;
  back.setAttribute('aria-label', l.previousFrame);
  back.addEventListener('click', () => step(-1));
  const forward = el('button', { text: '›', className: 'secondary' });
  forward.type = 'button';
  forward.title = `${l.nextFrame} (.)`;
  forward.setAttribute('aria-label', l.nextFrame);
  forward.addEventListener('click', () => step(1));
  const seek = el('input');
  seek.type = 'range';
  seek.min = '0';
  seek.step = 'any';
  seek.value = '0';
  seek.setAttribute('aria-label', l.time);
  seek.addEventListener('input', () => {
    for (const video of videos) video.currentTime = Number(seek.value);
  });
  const time = el('span', { className: 'time', text: '0.00' });
  left.video.addEventListener('loadedmetadata', () => (seek.max = String(left.video.duration)));
  left.video.addEventListener('timeupdate', () => {
    seek.value = String(left.video.currentTime);
    time.textContent = left.video.currentTime.toFixed(2);
    keepInStep();
  });
  for (const event of ['play', 'pause', 'seeked'] as const) left.video.addEventListener(event, keepInStep);
  left.video.addEventListener('play', () => (toggle.textContent = l.pause));
  left.video.addEventListener('pause', () => (toggle.textContent = l.play));
  root.replaceChildren(
    el('h1', { text: state.title }),
    el('div', { className: 'columns' }, left.column, right.column),
    el('div', { className: 'controls' }, back, toggle, forward, seek, time),
    el('p', { className: 'muted', text: l.keys }),
  );
}

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement | null;
  if (target?.tagName === 'SELECT' || target?.tagName === 'INPUT') return;
  if (event.key === ' ' || event.key === 'k') {
    event.preventDefault();
    playPause();
  } else if (event.key === ',') step(-1);
  else if (event.key === '.') step(1);
});

window.addEventListener('message', (event: MessageEvent<HostToCompare>) => {
  if (event.data?.type === 'state') render(event.data.state);
});
vscode.postMessage({ type: 'ready' });
