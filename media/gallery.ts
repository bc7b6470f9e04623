// The gallery's webview: a grid of the workspace's generated videos with their prompts. Entries are
// plain text from the host; actions name an entry by its index.
import type { GalleryEntry, GalleryState, GalleryToHost, GalleryWebviewState, HostToGallery, PosterFrames } from '../src/shared/galleryProtocol';
import { el, vsCodeApi } from './dom';
import { decodePoster, postersSupported } from './posters';

const vscode = vsCodeApi<GalleryToHost, GalleryWebviewState>();
const root = document.getElementById('root') as HTMLElement;
let current: GalleryState | undefined;
let filterInput: HTMLInputElement | undefined;

/**
 * Each card's picture. A poster (a frame decoded from the first packets, see posters.ts) where the
 * page can decode one; else the video itself, loaded as a thumbnail. Either way only cards near the
 * view load theirs, the top first: a workspace may hold a thousand clips. The picture's element says
 * where its poster is in `data-poster`: waiting, asked, decoding, shown, let go, or video.
 */
interface Thumb {
  box: HTMLElement;
  src: string;
  img: HTMLImageElement;
  /** The video: the thumbnail itself once posters failed, else the player made on hover. */
  video?: HTMLVideoElement;
  usesVideo: boolean;
  near: boolean;
  hovered: boolean;
}
const thumbs = new Map<string, Thumb>();
const thumbOfBox = new WeakMap<Element, Thumb>();

/** Poster requests sent to the extension at once (it reads a few files at a time). */
const MAX_POSTER_REQUESTS = 4;
/** A request not answered by then frees its place (the extension drops what a closed page asked). */
const POSTER_REQUEST_MS = 15_000;
/** Posters kept (small JPEGs, about 20 KB each); the least recently shown beyond are let go. */
const MAX_POSTERS = 240;
/** A poster not decoded by then is given up: the card shows its video. */
const POSTER_DECODE_MS = 10_000;
/** The widest poster drawn, in pixels. */
const MAX_POSTER_WIDTH = 640;

/** Cards near the view waiting to ask for their poster, top first. */
const posterWaiting: Thumb[] = [];
/** Poster requests on their way, by src, with what frees their place. */
const posterRequests = new Map<string, ReturnType<typeof setTimeout>>();
/** Posters made, by src: object URLs of JPEG blobs, the least recently shown first. */
const posters = new Map<string, string>();
/** Cards whose key frame was blank: their next request asks for every packet to the poster's time. */
const wholeWanted = new Set<string>();
/** Poster decodes, one after another (each holds a decoder). */
let decoding: Promise<void> = Promise.resolve();

function requestPosters(): void {
  while (posterRequests.size < MAX_POSTER_REQUESTS && posterWaiting.length) {
    const thumb = posterWaiting.shift()!;
    if (!thumb.near || thumb.usesVideo || posters.has(thumb.src) || posterRequests.has(thumb.src) || !thumb.box.isConnected) continue;
    posterRequests.set(
      thumb.src,
      setTimeout(() => {
        posterRequests.delete(thumb.src);
        if (thumb.near) nearView(thumb);
        requestPosters();
      }, POSTER_REQUEST_MS),
    );
    vscode.postMessage({ type: 'poster', src: thumb.src, ...(wholeWanted.has(thumb.src) ? { whole: true } : {}) });
    thumb.box.dataset.poster = 'asked';
  }
}

/** The extension's answer: decode the poster, or show the video where there is none. */
function receivePoster(src: string, poster: PosterFrames | null): void {
  clearTimeout(posterRequests.get(src));
  posterRequests.delete(src);
  requestPosters();
  const thumb = thumbs.get(src);
  if (!thumb) return;
  if (!poster) return useVideo(thumb);
  thumb.box.dataset.poster = 'decoding';
  decoding = decoding.then(async () => {
    if (!thumbs.has(src)) return;
    const width = Math.min(MAX_POSTER_WIDTH, Math.max(160, Math.ceil(thumb.box.clientWidth * devicePixelRatio)));
    // Bounded, so that nothing the browser does with one poster holds up the posters after it.
    const blob = await Promise.race([decodePoster(poster, width).catch(() => undefined), new Promise<undefined>((resolve) => setTimeout(resolve, POSTER_DECODE_MS))]);
    // The card may have been remade meanwhile (its sidecar changed): the one listed now gets it.
    const listed = thumbs.get(src);
    if (!listed) return;
    if (blob === 'blank' && !wholeWanted.has(src)) {
      wholeWanted.add(src); // a fade from black: the frame half a second in, first in line
      posterWaiting.unshift(listed);
      listed.box.dataset.poster = 'waiting';
      return requestPosters();
    }
    wholeWanted.delete(src);
    if (!blob || blob === 'blank') return useVideo(listed);
    keepPoster(src, URL.createObjectURL(blob));
    showPoster(listed); // also when scrolled away meanwhile: it is made, and kept within the bound
  });
}

function keepPoster(src: string, url: string): void {
  posters.set(src, url);
  for (const [old, oldUrl] of posters) {
    if (posters.size <= MAX_POSTERS) break;
    posters.delete(old);
    const thumb = thumbs.get(old);
    thumb?.img.removeAttribute('src');
    if (thumb) thumb.box.dataset.poster = 'let go';
    URL.revokeObjectURL(oldUrl);
  }
}

/** Shows the kept poster (marking it the most recently shown); false when there is none. */
function showPoster(thumb: Thumb): boolean {
  const url = posters.get(thumb.src);
  if (!url) return false;
  posters.delete(thumb.src);
  posters.set(thumb.src, url);
  if (thumb.img.getAttribute('src') !== url) thumb.img.src = url;
  thumb.box.dataset.poster = 'shown';
  return true;
}

/** No poster for this card: its video is the thumbnail, as where posters cannot be decoded at all. */
function useVideo(thumb: Thumb): void {
  if (thumb.usesVideo) return;
  thumb.usesVideo = true;
  thumb.box.dataset.poster = 'video';
  const video = thumb.video ?? thumbnailVideo(thumb.src);
  if (!thumb.video) thumb.box.append(video);
  thumb.video = video;
  if (thumb.near && !video.getAttribute('src')) {
    video.dataset.src = thumb.src;
    videoWaiting.push(video);
    startVideoLoads();
  }
}

/** A muted, looping video filling the card's picture; loaded when its `data-src` is moved to `src`. */
function thumbnailVideo(src: string): HTMLVideoElement {
  const video = el('video');
  video.muted = true;
  video.loop = true;
  video.preload = 'metadata';
  video.dataset.src = src;
  video.setAttribute('aria-hidden', 'true');
  // With preload=metadata a paused video may paint nothing: seeking makes it decode one frame.
  video.addEventListener('loadedmetadata', () => {
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA && video.paused) video.currentTime = Math.min(0.5, video.duration / 2 || 0);
  });
  return video;
}

/** Video thumbnails loading at once: the top ones come first rather than all of a screenful together. */
const MAX_VIDEO_LOADS = 4;
/** A video load that has not shown a frame by then stops holding its place in the line. */
const LOAD_TURN_MS = 3000;
const videoWaiting: HTMLVideoElement[] = [];
const videoLoading = new Map<HTMLVideoElement, () => void>();

function startVideoLoads(): void {
  while (videoLoading.size < MAX_VIDEO_LOADS && videoWaiting.length) {
    const video = videoWaiting.shift()!;
    if (!video.dataset.src || !video.isConnected) continue;
    const timer = setTimeout(() => endTurn(), LOAD_TURN_MS);
    const endTurn = () => {
      if (!videoLoading.delete(video)) return;
      clearTimeout(timer);
      video.removeEventListener('loadeddata', endTurn);
      video.removeEventListener('error', endTurn);
      startVideoLoads();
    };
    videoLoading.set(video, endTurn);
    video.addEventListener('loadeddata', endTurn);
    video.addEventListener('error', endTurn);
    video.src = `${video.dataset.src}#t=0.5`; // a frame from the start, not the black first one
    delete video.dataset.src;
  }
}

/** Lets a video go: its decoder and buffered frames are released, and it loads again when needed. */
function releaseVideo(video: HTMLVideoElement): void {
  const at = videoWaiting.indexOf(video);
  if (at >= 0) videoWaiting.splice(at, 1);
  videoLoading.get(video)?.();
  const src = video.getAttribute('src');
  if (src) {
    video.dataset.src = src.replace(/#t=0\.5$/, '');
    video.removeAttribute('src');
    video.load();
  }
}

function nearView(thumb: Thumb): void {
  thumb.near = true;
  if (thumb.usesVideo) {
    const video = thumb.video!;
    if (video.dataset.src && !videoWaiting.includes(video)) videoWaiting.push(video);
  } else if (!showPoster(thumb) && !posterWaiting.includes(thumb)) {
    posterWaiting.push(thumb);
    thumb.box.dataset.poster = 'waiting';
  }
}

function awayFromView(thumb: Thumb): void {
  thumb.near = false;
  const at = posterWaiting.indexOf(thumb);
  if (at >= 0) {
    posterWaiting.splice(at, 1);
    delete thumb.box.dataset.poster;
  }
  if (thumb.video && !thumb.hovered) {
    releaseVideo(thumb.video);
    if (!thumb.usesVideo) {
      thumb.video.remove(); // a hover player: made again on the next hover
      thumb.video = undefined;
    }
  }
}

const lazy = new IntersectionObserver(
  (seen) => {
    for (const entry of seen) {
      const thumb = thumbOfBox.get(entry.target);
      if (!thumb) continue;
      if (entry.isIntersecting) nearView(thumb);
      else awayFromView(thumb);
    }
    requestPosters();
    startVideoLoads();
  },
  // The page's own viewport as the root: with the implicit one (the top window's), an iframe's
  // margins are not applied, and cards only load once they are on screen.
  { root: document, rootMargin: '300px 0px' },
);

/** The card's picture: a poster, or its video; hovering or focusing the card plays the clip silently. */
function thumbFor(src: string, open: HTMLElement): HTMLElement {
  const img = el('img', { className: 'poster' });
  img.alt = '';
  img.decoding = 'async';
  const box = el('div', { className: 'thumb' }, img);
  const thumb: Thumb = { box, src, img, usesVideo: false, near: false, hovered: false };
  thumbs.set(src, thumb);
  thumbOfBox.set(box, thumb);
  if (!postersSupported) useVideo(thumb);
  lazy.observe(box);
  const play = () => {
    thumb.hovered = true;
    if (!thumb.video) {
      // The hover player over the poster: the whole clip, from its start.
      thumb.video = thumbnailVideo(src);
      box.append(thumb.video);
    }
    const video = thumb.video;
    if (video.dataset.src && !video.getAttribute('src')) {
      video.src = thumb.usesVideo ? `${video.dataset.src}#t=0.5` : video.dataset.src;
      delete video.dataset.src;
    }
    void video.play().catch(() => undefined);
  };
  const stop = () => {
    thumb.hovered = false;
    thumb.video?.pause();
  };
  open.addEventListener('mouseenter', play);
  open.addEventListener('mouseleave', stop);
  open.addEventListener('focus', play);
  open.addEventListener('blur', stop);
  return box;
}

/** A card no longer listed: its picture stops being watched and its video is let go. */
function dropThumb(card: HTMLElement): void {
  const box = card.querySelector('.thumb');
  const thumb = box && thumbOfBox.get(box);
  if (!thumb) return;
  lazy.unobserve(thumb.box);
  awayFromView(thumb);
  if (thumb.video) releaseVideo(thumb.video);
  // A card remade for a changed sidecar has the same video: the new card's picture stays.
  if (thumbs.get(thumb.src) === thumb) thumbs.delete(thumb.src);
}

let dates: { language: string; format: Intl.DateTimeFormat } | undefined;
/** As toLocaleString() in VS Code's language, one formatter for every card. */
function dateFormat(language: string): Intl.DateTimeFormat {
  if (dates?.language !== language) {
    const options = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' } as const;
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat(language, options);
    } catch {
      format = new Intl.DateTimeFormat(undefined, options); // a language tag the browser does not know
    }
    dates = { language, format };
  }
  return dates.format;
}

/** The cards already made, by what they show: a rescan keeps them (and their loaded thumbnails). */
const cards = new Map<string, HTMLElement>();
const cardKey = (entry: GalleryEntry) => [entry.src, entry.prompt, entry.created, entry.seconds, entry.size, entry.mode].join('\n');

function matches(entry: GalleryEntry, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${entry.prompt}\n${entry.relative}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}

function card(entry: GalleryEntry, state: GalleryState): HTMLElement {
  const l = state.labels;
  const open = el('button', { className: 'open' });
  open.append(thumbFor(entry.src, open), el('span', { className: 'prompt', text: entry.prompt }));
  open.type = 'button';
  open.title = entry.relative;
  open.setAttribute('aria-label', `${l.open}: ${entry.prompt}`);
  open.addEventListener('click', () => vscode.postMessage({ type: 'open', index: indexOf(open) }));

  const created = entry.created === undefined ? undefined : dateFormat(state.language).format(entry.created);
  const meta = el('div', { className: 'meta', text: [created, entry.seconds, entry.size, entry.mode].filter(Boolean).join(' · ') });
  const actions = el('div', { className: 'actions' });
  for (const [label, type] of [
    [l.copyPrompt, 'copyPrompt'],
    [l.reveal, 'reveal'],
  ] as const) {
    const b = el('button', { className: 'secondary', text: label });
    b.type = 'button';
    b.addEventListener('click', () => vscode.postMessage({ type, index: indexOf(b) }));
    actions.append(b);
  }
  return el('li', { className: 'card' }, open, meta, actions);
}

/** The entry a card's button belongs to, as listed now (a rescan may have moved it). */
function indexOf(button: HTMLElement): number {
  return Number(button.closest<HTMLElement>('.card')?.dataset.index);
}

let header: HTMLElement | undefined;
const grid = el('ul', { className: 'grid', id: 'grid' });
const noMatch = el('p', { className: 'empty', id: 'no-match' });
const empty = el('div', { className: 'empty' });

/** Builds the header once: a rescan must not take the filter's focus or its text away. */
function ensureHeader(l: GalleryState['labels']): void {
  if (header) return;
  header = el('header');
  const title = el('h1', { text: l.title });
  filterInput = el('input', { id: 'filter' });
  filterInput.type = 'search';
  filterInput.placeholder = l.filterPlaceholder;
  filterInput.setAttribute('aria-label', l.filter);
  filterInput.value = vscode.getState()?.filter ?? '';
  filterInput.addEventListener('input', () => {
    vscode.setState({ filter: filterInput!.value });
    applyFilter();
  });
  const refresh = el('button', { className: 'secondary', text: l.refresh });
  refresh.type = 'button';
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  const count = el('span', { className: 'count', id: 'count' });
  count.setAttribute('role', 'status');
  header.append(title, filterInput, refresh, count);
  noMatch.textContent = l.noMatch;
  root.replaceChildren(header, empty, grid, noMatch);
}

function render(state: GalleryState): void {
  current = state;
  const l = state.labels;
  ensureHeader(l);

  empty.hidden = state.entries.length > 0;
  if (state.entries.length === 0) {
    const generate = el('button', { text: l.generate });
    generate.type = 'button';
    generate.addEventListener('click', () => vscode.postMessage({ type: 'generate' }));
    empty.replaceChildren(el('p', { text: state.scanning ? l.scanning : l.empty }), ...(state.scanning ? [] : [generate]));
  }
  const keep = new Set<string>();
  const items = state.entries.map((entry, index) => {
    const key = cardKey(entry);
    keep.add(key);
    let item = cards.get(key);
    if (!item) {
      item = card(entry, state);
      cards.set(key, item);
    }
    item.dataset.index = String(index);
    return item;
  });
  for (const [key, item] of cards) {
    if (keep.has(key)) continue;
    cards.delete(key);
    dropThumb(item);
  }
  grid.replaceChildren(...items);
  applyFilter();
}

function applyFilter(): void {
  if (!current) return;
  const filter = filterInput?.value ?? '';
  let shown = 0;
  for (const item of document.querySelectorAll<HTMLElement>('.card')) {
    const visible = matches(current.entries[Number(item.dataset.index)], filter);
    item.hidden = !visible;
    if (visible) shown++;
  }
  const count = document.getElementById('count');
  if (count) count.textContent = `${current.labels.count.replace('{0}', String(shown)).replace('{1}', String(current.entries.length))}${current.scanning ? ` · ${current.labels.scanning}` : ''}`;
  noMatch.hidden = shown > 0 || current.entries.length === 0;
}

window.addEventListener('message', (event: MessageEvent<HostToGallery>) => {
  if (event.data?.type === 'state') render(event.data.state);
  else if (event.data?.type === 'poster') receivePoster(event.data.src, event.data.poster);
});

vscode.postMessage({ type: 'ready' });
