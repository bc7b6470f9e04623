// The gallery's webview: a grid of the workspace's generated videos with their prompts. Entries are
// plain text from the host; actions name an entry by its index.
import type { GalleryEntry, GalleryState, GalleryToHost, GalleryWebviewState, HostToGallery } from '../src/shared/galleryProtocol';
import { el, vsCodeApi } from './dom';

const vscode = vsCodeApi<GalleryToHost, GalleryWebviewState>();
const root = document.getElementById('root') as HTMLElement;
let current: GalleryState | undefined;
let filterInput: HTMLInputElement | undefined;

/** Thumbnails load when they scroll into view: a workspace may hold hundreds of clips. */
const lazy = new IntersectionObserver((seen) => {
  for (const entry of seen) {
    if (!entry.isIntersecting) continue;
    const video = entry.target as HTMLVideoElement;
    if (video.dataset.src) {
      video.src = `${video.dataset.src}#t=0.5`; // a frame from the start, not the black first one
      delete video.dataset.src;
    }
    lazy.unobserve(video);
  }
});

function matches(entry: GalleryEntry, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${entry.prompt}\n${entry.relative}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}

function card(entry: GalleryEntry, index: number, state: GalleryState): HTMLElement {
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
  open.addEventListener('click', () => vscode.postMessage({ type: 'open', index }));
  // Moving over or focusing a card plays its clip silently, like a hover preview.
  const play = () => void video.play().catch(() => undefined);
  const stop = () => video.pause();
  open.addEventListener('mouseenter', play);
  open.addEventListener('mouseleave', stop);
  open.addEventListener('focus', play);
  open.addEventListener('blur', stop);

  const meta = el('div', { className: 'meta', text: [entry.created, entry.seconds, entry.size, entry.mode].filter(Boolean).join(' · ') });
  const actions = el('div', { className: 'actions' });
  for (const [label, type] of [
    [l.copyPrompt, 'copyPrompt'],
    [l.reveal, 'reveal'],
  ] as const) {
    const b = el('button', { className: 'secondary', text: label });
    b.type = 'button';
    b.addEventListener('click', () => vscode.postMessage({ type, index }));
    actions.append(b);
  }
  const item = el('li', { className: 'card' }, open, meta, actions);
  item.dataset.index = String(index);
  return item;
}

function render(state: GalleryState): void {
  current = state;
  const l = state.labels;
  const filter = filterInput?.value ?? vscode.getState()?.filter ?? '';
  root.replaceChildren();

  const header = el('header');
  const title = el('h1', { text: l.title });
  filterInput = el('input', { id: 'filter' });
  filterInput.type = 'search';
  filterInput.placeholder = l.filterPlaceholder;
  filterInput.setAttribute('aria-label', l.filter);
  filterInput.value = filter;
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
  root.append(header);

  if (state.entries.length === 0) {
    const generate = el('button', { text: l.generate });
    generate.type = 'button';
    generate.addEventListener('click', () => vscode.postMessage({ type: 'generate' }));
    root.append(el('div', { className: 'empty' }, el('p', { text: state.scanning ? l.scanning : l.empty }), ...(state.scanning ? [] : [generate])));
    return;
  }
  const grid = el('ul', { className: 'grid', id: 'grid' });
  state.entries.forEach((entry, index) => grid.append(card(entry, index, state)));
  root.append(grid, el('p', { className: 'empty', id: 'no-match', text: l.noMatch }));
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
  if (count) count.textContent = current.labels.count.replace('{0}', String(shown)).replace('{1}', String(current.entries.length));
  const none = document.getElementById('no-match');
  if (none) none.hidden = shown > 0 || current.entries.length === 0;
}

window.addEventListener('message', (event: MessageEvent<HostToGallery>) => {
  if (event.data?.type === 'state') render(event.data.state);
});

vscode.postMessage({ type: 'ready' });
