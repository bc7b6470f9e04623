// The gallery's webview: a grid of the workspace's generated videos with their prompts. Entries are
// plain text from the host; actions name an entry by its index.
import type { GalleryEntry, GalleryState, GalleryToHost, GalleryWebviewState, HostToGallery } from '../src/shared/galleryProtocol';
import { el, vsCodeApi } from './dom';

const vscode = vsCodeApi<GalleryToHost, GalleryWebviewState>();
const root = document.getElementById('root') as HTMLElement;
let current: GalleryState | undefined;
let filterInput: HTMLInputElement | undefined;

/** Thumbnails loading at once: the top ones come first rather than all of a screenful together. */
const MAX_LOADING = 4;
/** A load that has not shown a frame by then stops holding its place in the line. */
const LOAD_TURN_MS = 3000;
/** Thumbnails near the view waiting for their turn, top first. */
const waiting: HTMLVideoElement[] = [];
/** Thumbnails loading, each with what ends its turn. */
const loading = new Map<HTMLVideoElement, () => void>();

function startLoads(): void {
  while (loading.size < MAX_LOADING && waiting.length) {
    const video = waiting.shift()!;
    if (!video.dataset.src || !video.isConnected) continue;
    const timer = setTimeout(() => endTurn(), LOAD_TURN_MS);
    const endTurn = () => {
      if (!loading.delete(video)) return;
      clearTimeout(timer);
      video.removeEventListener('loadeddata', endTurn);
      video.removeEventListener('error', endTurn);
      startLoads();
    };
    loading.set(video, endTurn);
    video.addEventListener('loadeddata', endTurn);
    video.addEventListener('error', endTurn);
    video.src = `${video.dataset.src}#t=0.5`; // a frame from the start, not the black first one
    delete video.dataset.src;
  }
}

/**
 * Thumbnails load when they come near the view, a few at a time, and are let go when they leave it: a
 * workspace may hold a thousand clips, and only those on screen hold a decoder and their frames.
 */
const lazy = new IntersectionObserver(
  (seen) => {
    for (const entry of seen) {
      const video = entry.target as HTMLVideoElement;
      if (entry.isIntersecting && video.dataset.src) {
        if (!waiting.includes(video)) waiting.push(video);
      } else if (!entry.isIntersecting) {
        const at = waiting.indexOf(video);
        if (at >= 0) waiting.splice(at, 1);
        loading.get(video)?.();
        if (video.getAttribute('src')) {
          video.dataset.src = video.getAttribute('src')!.replace(/#t=0\.5$/, '');
          video.removeAttribute('src');
          video.load(); // releases the decoder and the buffered frames
        }
      }
    }
    startLoads();
  },
  { rootMargin: '300px 0px' },
);

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
  const video = el('video', { className: 'thumb' });
  video.muted = true;
  video.loop = true;
  video.preload = 'metadata';
  video.dataset.src = entry.src;
  video.setAttribute('aria-hidden', 'true');
  // With preload=metadata a paused video may paint nothing: seeking makes it decode one frame.
  video.addEventListener('loadedmetadata', () => {
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) video.currentTime = Math.min(0.5, video.duration / 2 || 0);
  }, { once: true });
  lazy.observe(video);

  const open = el('button', { className: 'open' }, video, el('span', { className: 'prompt', text: entry.prompt }));
  open.type = 'button';
  open.title = entry.relative;
  open.setAttribute('aria-label', `${l.open}: ${entry.prompt}`);
  open.addEventListener('click', () => vscode.postMessage({ type: 'open', index: indexOf(open) }));
  // Moving over or focusing a card plays its clip silently, like a hover preview.
  const play = () => void video.play().catch(() => undefined);
  const stop = () => video.pause();
  open.addEventListener('mouseenter', play);
  open.addEventListener('mouseleave', stop);
  open.addEventListener('focus', play);
  open.addEventListener('blur', stop);

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
    const video = item.querySelector('video');
    if (video) lazy.unobserve(video);
    cards.delete(key);
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
});

vscode.postMessage({ type: 'ready' });
