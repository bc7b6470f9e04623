// The preview webview: plays one video from the workspace and shows how it was made.
import type { HostToWebview, PreviewInfo, PreviewState, WebviewToHost } from '../src/shared/protocol';
import { el, vsCodeApi } from './dom';

const vscode = vsCodeApi<WebviewToHost, PreviewState>();
const root = document.getElementById('root') as HTMLElement;

type ActionMessage = 'reveal' | 'copyPrompt' | 'regenerate' | 'insertIntoDocument' | 'openSystemPlayer' | 'makePlayableCopy' | 'continueFromLastFrame' | 'useAsReference';

/** The video element of the current render: the host asks it for its last frame. */
let currentVideo: HTMLVideoElement | undefined;

function render(info: PreviewInfo): void {
  root.replaceChildren();
  // Where playback was: from the host after a reload, else from this webview's own state (a hidden
  // panel or a custom editor is rebuilt when shown again).
  const saved = vscode.getState();
  const startAt = info.startAt ?? (saved?.file === info.file ? saved.currentTime : undefined);
  vscode.setState({ file: info.file, currentTime: startAt, failedJob: info.failure ? true : undefined });

  const player = info.videoSrc ? videoPlayer(info, info.videoSrc, startAt) : failureBox(info);
  const meta = el('dl', { className: 'meta' });
  const row = (label: string, value: string | undefined) => {
    if (value) meta.append(el('dt', { text: label }), el('dd', { text: value }));
  };
  row(info.labels.mode, info.mode);
  row(info.labels.id, info.id);
  row(info.labels.duration, info.seconds);
  row(info.labels.size, info.size);
  row(info.labels.created, info.createdAt);
  for (const parameter of info.parameters) row(parameter.label, parameter.value);

  // What it was made from: workspace files open in the editor, URLs in the browser (by index: the
  // host looks the entry up, so this page never names a path to open).
  const sources = el('ul', { className: 'sources' });
  info.sources.forEach((source, index) => {
    const item = el('li', {}, el('span', { className: 'role', text: `${source.role}: ` }));
    if (source.openable) {
      const link = el('a', { text: source.text });
      link.href = '#';
      link.addEventListener('click', (event) => {
        event.preventDefault();
        vscode.postMessage({ type: 'openSource', index });
      });
      item.append(link);
    } else {
      item.append(el('span', { className: 'muted', text: source.text }));
    }
    sources.append(item);
  });

  const actions = el('div', { className: 'actions' });
  const button = (label: string, type: ActionMessage, secondary = true) => {
    const b = el('button', { text: label, className: secondary ? 'secondary' : '' });
    b.type = 'button';
    b.addEventListener('click', () => vscode.postMessage({ type }));
    actions.append(b);
  };
  if (info.actions.openSystemPlayer) button(info.labels.openSystemPlayer, 'openSystemPlayer', false);
  if (info.actions.makePlayableCopy) button(info.labels.makePlayableCopy, 'makePlayableCopy', false);
  if (info.actions.continueFromLastFrame) button(info.labels.continueFromLastFrame, 'continueFromLastFrame', false);
  if (info.actions.regenerate) button(info.labels.regenerate, 'regenerate');
  if (info.actions.useAsReference) button(info.labels.useAsReference, 'useAsReference');
  if (info.actions.insertIntoDocument) button(info.labels.insertIntoDocument, 'insertIntoDocument');
  if (info.videoSrc) button(info.labels.reveal, 'reveal');
  if (info.prompt) button(info.labels.copyPrompt, 'copyPrompt');

  const details = el('section', { className: 'details' });
  details.append(el('h1', { className: 'file', text: info.fileName }));
  if (info.prompt) {
    details.append(el('h2', { text: info.labels.prompt }), el('p', { className: 'prompt', text: info.prompt }));
  } else if (!info.hasSidecar) {
    details.append(el('p', { className: 'muted', text: info.labels.noMetadata }));
  }
  details.append(meta);
  if (info.sources.length) details.append(el('h2', { text: info.labels.madeFrom }), sources);
  if (info.chapters?.length) details.append(el('h2', { text: info.labels.chapters }), chapterList(info));
  details.append(actions);

  root.append(player, details);
}

/** The video, with its playback message and notes. */
function videoPlayer(info: PreviewInfo, src: string, startAt: number | undefined): HTMLElement {
  const video = el('video');
  currentVideo = video;
  video.controls = true;
  video.loop = true;
  video.playsInline = true;
  video.preload = 'auto';
  video.src = src;
  video.setAttribute('aria-label', info.prompt ?? info.fileName);
  const message = el('div', { className: 'message' });
  message.setAttribute('role', 'status');
  message.hidden = true;

  const notes = el('div', { className: 'notes' });
  notes.setAttribute('role', 'note');
  for (const note of info.playbackNotes) notes.append(el('p', { text: note }));
  notes.hidden = info.playbackNotes.length === 0;

  video.addEventListener('loadedmetadata', () => {
    if (startAt && startAt < video.duration) video.currentTime = startAt;
    void play(video, message, info);
  });
  if (info.expectAudio) watchAudio(video, notes, info);
  video.addEventListener('error', () => {
    const code = video.error?.code ?? 0;
    message.hidden = false;
    message.textContent = `${info.labels.playbackError} (${code})`;
    vscode.postMessage({ type: 'playback', state: 'error', detail: `MediaError ${code}` });
  });
  let lastSaved = 0;
  video.addEventListener('timeupdate', () => {
    if (Math.abs(video.currentTime - lastSaved) > 1) {
      lastSaved = video.currentTime;
      vscode.setState({ file: info.file, currentTime: video.currentTime });
    }
  });

  return el('div', { className: 'player' }, video, message, notes);
}

/** A film's chapters: a click seeks to the shot; Regenerate makes a new take of it (the host asks first). */
function chapterList(info: PreviewInfo): HTMLElement {
  const list = el('ol', { className: 'chapters' });
  info.chapters!.forEach((chapter, index) => {
    const seek = el('button', { className: 'chapter secondary', text: `${chapter.time}  ${chapter.title}` });
    seek.type = 'button';
    seek.addEventListener('click', () => {
      if (!currentVideo) return;
      currentVideo.currentTime = chapter.start;
      void currentVideo.play().catch(() => undefined);
    });
    const regenerate = el('button', { className: 'secondary', text: info.labels.regenerateShot });
    regenerate.type = 'button';
    regenerate.setAttribute('aria-label', `${info.labels.regenerateShot}: ${chapter.title}`);
    regenerate.addEventListener('click', () => vscode.postMessage({ type: 'regenerateShot', chapter: index }));
    list.append(el('li', {}, seek, regenerate));
  });
  return list;
}

/** A job that failed: the server's words, what they mean, and the next step (which says it is billed). */
function failureBox(info: PreviewInfo): HTMLElement {
  currentVideo = undefined;
  const failure = info.failure!;
  const action = el('button', { text: failure.action });
  action.type = 'button';
  action.addEventListener('click', () => vscode.postMessage({ type: 'failureAction' }));
  const box = el(
    'div',
    { className: 'failure' },
    el('h1', { text: info.labels.failed }),
    el('p', { className: 'sentence', text: failure.sentence }),
    el('h2', { text: info.labels.serverSaid }),
    el('p', { className: 'server', text: failure.serverMessage }),
    el('div', { className: 'actions' }, action),
    el('p', { className: 'muted', text: failure.actionDetail }),
  );
  box.setAttribute('role', 'alert');
  return el('div', { className: 'player' }, box);
}

async function play(video: HTMLVideoElement, message: HTMLElement, info: PreviewInfo): Promise<void> {
  try {
    await video.play();
    vscode.postMessage({ type: 'playback', state: 'playing' });
  } catch (refused) {
    // Interrupted (a pause, a new source, a frame capture): stay as the interruption left it.
    if ((refused as { name?: string })?.name !== 'NotAllowedError') return;
    // Autoplay with sound needs a user gesture in Chromium: play muted and say so.
    video.muted = true;
    try {
      await video.play();
      message.hidden = false;
      message.textContent = info.labels.unmute;
      video.addEventListener('volumechange', () => (message.hidden = !video.muted), { once: true });
      vscode.postMessage({ type: 'playback', state: 'mutedAutoplay' });
    } catch (error) {
      vscode.postMessage({ type: 'playback', state: 'paused', detail: String(error).slice(0, 200) });
    }
  }
}

/**
 * The host expects the audio to play; Chromium's decoded-byte counter is the final word. Desktop
 * VS Code has no AAC decoder: the video then plays silently, and this says so instead.
 */
function watchAudio(video: HTMLVideoElement, notes: HTMLElement, info: PreviewInfo): void {
  const counter = () => (video as HTMLVideoElement & { webkitAudioDecodedByteCount?: number }).webkitAudioDecodedByteCount;
  if (counter() === undefined) return; // not Chromium: nothing to measure
  let played = 0;
  const onTime = () => {
    played = Math.max(played, video.currentTime);
    if (played < 1.5) return;
    video.removeEventListener('timeupdate', onTime);
    if (counter() === 0) {
      notes.append(el('p', { text: info.labels.noAudioDecoded }));
      notes.hidden = false;
      vscode.postMessage({ type: 'playback', state: 'noAudio' });
    }
  };
  video.addEventListener('timeupdate', onTime);
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves on the element's event, or rejects after `ms`. */
function nextEvent(target: HTMLMediaElement, name: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.removeEventListener(name, done);
      reject(new Error(`no ${name} event within ${ms} ms`));
    }, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    target.addEventListener(name, done, { once: true });
  });
}

/**
 * Resolves once the frame at `time` is on screen: a presented frame whose media time is within a
 * quarter second of it (frames at 24 fps are 42 ms apart), or after 1.5 s whatever happened.
 */
function presentedNear(video: HTMLVideoElement, time: number): Promise<void> {
  type FrameCallback = (now: number, metadata: { mediaTime: number }) => void;
  const withCallback = video as HTMLVideoElement & { requestVideoFrameCallback?: (callback: FrameCallback) => number };
  return new Promise((resolve) => {
    void wait(1500).then(resolve);
    if (!withCallback.requestVideoFrameCallback) return void wait(200).then(resolve);
    const onFrame: FrameCallback = (_now, metadata) => {
      if (Math.abs(metadata.mediaTime - time) < 0.25) resolve();
      else withCallback.requestVideoFrameCallback!(onFrame);
    };
    withCallback.requestVideoFrameCallback(onFrame);
  });
}

/**
 * The last frame as a PNG. Seeking needs range support (webview resources have it); after `seeked`,
 * Chromium may still paint the previous frame, so the drawing waits for the seeked frame to be
 * presented (requestVideoFrameCallback), with a timeout. Playback continues where it was.
 */
async function captureLastFrame(video: HTMLVideoElement): Promise<Extract<WebviewToHost, { type: 'frameCaptured' }>> {
  if (video.error) throw new Error(`the video cannot be decoded here (MediaError ${video.error.code})`);
  if (video.readyState < HTMLMediaElement.HAVE_METADATA) await nextEvent(video, 'loadedmetadata', 15_000);
  const duration = video.duration;
  if (!Number.isFinite(duration) || duration <= 0) throw new Error('the video has no known duration');
  const resume = !video.paused;
  const back = video.currentTime;
  video.pause();
  const target = Math.max(0, duration - 0.001);
  const seeked = nextEvent(video, 'seeked', 15_000);
  video.currentTime = target;
  await seeked;
  // Only now: a frame callback asked for before the seek (the video may have been playing) fires for
  // a frame of the old position. Wait for the seeked frame itself to be presented.
  await presentedNear(video, target);
  if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) await nextEvent(video, 'loadeddata', 5000);
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d');
  if (!context || !canvas.width || !canvas.height) throw new Error('the video has no picture to capture');
  context.drawImage(video, 0, 0, canvas.width, canvas.height);
  const time = video.currentTime;
  const dataUrl = canvas.toDataURL('image/png'); // throws when the host served the video cross-origin
  video.currentTime = back;
  if (resume) void video.play().catch(() => undefined);
  return { type: 'frameCaptured', requestId: 0, dataUrl, width: canvas.width, height: canvas.height, time, duration };
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message?.type === 'show') render(message.info);
  if (message?.type === 'captureLastFrame') {
    const { requestId } = message;
    const video = currentVideo;
    if (!video) {
      vscode.postMessage({ type: 'frameCaptureFailed', requestId, reason: 'no video is shown' });
      return;
    }
    captureLastFrame(video).then(
      (frame) => vscode.postMessage({ ...frame, requestId }),
      (error: unknown) => vscode.postMessage({ type: 'frameCaptureFailed', requestId, reason: String(error instanceof Error ? error.message : error).slice(0, 500) }),
    );
  }
});

document.addEventListener('keydown', (event) => {
  const video = root.querySelector('video');
  if (!video || (event.target as HTMLElement)?.tagName === 'BUTTON') return;
  if (event.key === ' ' || event.key === 'k') {
    event.preventDefault();
    if (video.paused) void video.play();
    else video.pause();
  }
});

vscode.postMessage({ type: 'ready' });
