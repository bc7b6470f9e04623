// The generation panel's webview: prompt, media slots (drag and drop or a picker), parameters, Generate.
// Everything it shows comes from the host as plain text; files are identified by the host.
import type { HostToPanel, PanelSlot, PanelState, PanelToHost, PanelWebviewState, SlotItem } from '../src/shared/panelProtocol';
import { el, vsCodeApi } from './dom';

const vscode = vsCodeApi<PanelToHost, PanelWebviewState>();
const root = document.getElementById('root') as HTMLElement;
const SLOTS: PanelSlot[] = ['firstImage', 'lastImage', 'images', 'video'];

let current: PanelState | undefined;
let built = false;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function saveState(): void {
  const slots = current?.slots;
  vscode.setState({
    prompt: byId<HTMLTextAreaElement>('prompt')?.value ?? '',
    slots: slots && { firstImage: slots.firstImage?.file, lastImage: slots.lastImage?.file, images: slots.images.map((i) => i.file), video: slots.video?.file },
  });
}

function select(id: string, label: string, values: { value: string; text: string }[], chosen: string): HTMLElement {
  const box = el('div', { className: 'field' });
  const labelEl = el('label', { text: label });
  labelEl.htmlFor = id;
  const sel = el('select', { id });
  for (const v of values) {
    const option = el('option', { text: v.text });
    option.value = v.value;
    sel.append(option);
  }
  sel.value = chosen;
  box.append(labelEl, sel);
  return box;
}

function build(state: PanelState): void {
  const l = state.labels;
  root.replaceChildren();
  const promptLabel = el('label', { text: l.prompt, className: 'section-label' });
  promptLabel.htmlFor = 'prompt';
  const prompt = el('textarea', { id: 'prompt' });
  prompt.rows = 5;
  prompt.placeholder = l.promptPlaceholder;
  prompt.value = vscode.getState()?.prompt ?? '';
  prompt.addEventListener('input', () => {
    saveState();
    updateGenerate();
  });
  prompt.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      generate(false);
    }
  });
  const recent = el('select', { id: 'recent' });
  recent.setAttribute('aria-label', l.recent);
  recent.addEventListener('change', () => {
    if (recent.value) {
      prompt.value = recent.value;
      recent.value = '';
      saveState();
      updateGenerate();
      prompt.focus();
    }
  });

  const slots = el('div', { className: 'slots' });
  for (const slot of SLOTS) slots.append(buildSlot(slot, state));

  const params = el('div', { className: 'params' });
  params.append(
    select('seconds', l.duration, state.choices.seconds.map((v) => ({ value: v, text: l.seconds.replace('{0}', v) })), state.defaults.seconds),
    select('aspectRatio', l.aspectRatio, state.choices.aspectRatios.map((v) => ({ value: v, text: v })), state.defaults.aspectRatio),
    select('resolution', l.resolution, [{ value: '', text: l.auto }, ...state.choices.resolutions.map((v) => ({ value: v, text: v }))], state.defaults.resolution ?? ''),
    select('fps', l.fps, [{ value: '', text: l.auto }, ...['24', '25', '30', '60'].map((v) => ({ value: v, text: v }))], ''),
  );

  const generateButton = el('button', { id: 'generate', text: l.generate });
  generateButton.type = 'button';
  generateButton.addEventListener('click', () => generate(false));
  const previewButton = el('button', { id: 'previewRequest', className: 'secondary', text: l.previewRequest });
  previewButton.type = 'button';
  previewButton.addEventListener('click', () => generate(true));
  const aspectNote = el('p', { id: 'aspect-note', className: 'aspect-note' });
  const aspect = params.querySelector<HTMLSelectElement>('#aspectRatio');
  const showAspectNote = () => (aspectNote.textContent = l.aspectNotes[aspect?.value ?? ''] ?? '');
  aspect?.addEventListener('change', showAspectNote);
  showAspectNote();

  root.append(
    el('h1', { text: l.title }),
    el('p', { id: 'mode', className: 'mode' }),
    promptLabel,
    prompt,
    el('div', { className: 'recent-row' }, recent),
    slots,
    params,
    aspectNote,
    el('p', { className: 'billing', id: 'billing', text: l.billing }),
    el('div', { className: 'submit-row' }, generateButton, previewButton),
    el('p', { id: 'message', className: 'message' }),
  );
  byId('mode').setAttribute('role', 'status');
  byId('message').setAttribute('role', 'status');
  built = true;
}

function buildSlot(slot: PanelSlot, state: PanelState): HTMLElement {
  const l = state.labels;
  const box = el('section', { className: `slot slot-${slot}` });
  const title = el('h2', { text: l.slots[slot], id: `slot-${slot}-title` });
  const choose = el('button', { text: l.choose, className: 'secondary' });
  choose.type = 'button';
  choose.setAttribute('aria-label', `${l.choose} ${l.slots[slot]}`);
  choose.addEventListener('click', () => vscode.postMessage({ type: 'pick', slot }));
  const drop = el('div', { className: 'drop', id: `drop-${slot}` });
  drop.tabIndex = 0;
  drop.setAttribute('role', 'button');
  drop.setAttribute('aria-labelledby', `slot-${slot}-title`);
  drop.setAttribute('aria-describedby', `drop-${slot}-hint`);
  drop.dataset.slot = slot;
  drop.addEventListener('keydown', (event) => {
    if (event.target === drop && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      vscode.postMessage({ type: 'pick', slot });
    }
  });
  drop.addEventListener('dragenter', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const data = event.dataTransfer;
    const text = data?.getData('application/vnd.code.uri-list') || data?.getData('text/uri-list') || '';
    const uris = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    if (uris.length) vscode.postMessage({ type: 'drop', slot, uris: uris.slice(0, 20) });
  });
  box.append(el('div', { className: 'slot-head' }, title, choose), drop);
  return box;
}

function renderSlot(slot: PanelSlot, state: PanelState): void {
  const l = state.labels;
  const drop = byId(`drop-${slot}`);
  const items: SlotItem[] = slot === 'images' ? state.slots.images : ([state.slots[slot]].filter(Boolean) as SlotItem[]);
  drop.replaceChildren();
  drop.classList.toggle('filled', items.length > 0);
  if (items.length === 0) drop.append(el('span', { className: 'hint', id: `drop-${slot}-hint`, text: l.slotHints[slot] }));
  else drop.append(el('span', { className: 'visually-hidden', id: `drop-${slot}-hint`, text: l.slotHints[slot] }));
  items.forEach((item, index) => {
    const figure = el('figure', { className: 'thumb' });
    if (item.kind === 'image') {
      const img = el('img');
      img.src = item.src;
      img.alt = item.name;
      figure.append(img);
    } else {
      const video = el('video');
      video.src = item.src;
      video.muted = true;
      video.preload = 'metadata';
      video.setAttribute('aria-label', item.name);
      figure.append(video);
    }
    const remove = el('button', { text: '×', className: 'remove secondary' });
    remove.type = 'button';
    remove.title = l.remove.replace('{0}', item.name);
    remove.setAttribute('aria-label', l.remove.replace('{0}', item.name));
    remove.addEventListener('click', () => vscode.postMessage({ type: 'remove', slot, index }));
    const caption = el('figcaption', { text: item.name });
    caption.title = item.name;
    figure.append(caption, remove);
    drop.append(figure);
  });
}

function render(state: PanelState): void {
  if (!built) build(state);
  current = state;
  const l = state.labels;
  const mode = byId('mode');
  if ('error' in state.mode) {
    mode.textContent = state.mode.error;
    mode.classList.add('error');
  } else {
    mode.textContent = `${l.mode}: ${l.modes[state.mode.id]}`;
    mode.classList.remove('error');
  }
  const recent = byId<HTMLSelectElement>('recent');
  recent.replaceChildren(el('option', { text: state.recentPrompts.length ? l.recent : l.recentNone }));
  (recent.firstChild as HTMLOptionElement).value = '';
  for (const p of state.recentPrompts) {
    const option = el('option', { text: p.length > 90 ? `${p.slice(0, 89)}…` : p });
    option.value = p;
    recent.append(option);
  }
  recent.disabled = state.recentPrompts.length === 0;
  for (const slot of SLOTS) renderSlot(slot, state);
  const message = byId('message');
  message.textContent = state.message?.text ?? '';
  message.className = `message ${state.message?.kind ?? ''}`;
  const button = byId<HTMLButtonElement>('generate');
  button.textContent = state.busy ? l.submitting : l.generate;
  byId('billing').textContent = l.billing;
  updateGenerate();
  saveState();
}

function updateGenerate(): void {
  const button = byId<HTMLButtonElement>('generate');
  if (!button || !current) return;
  const prompt = byId<HTMLTextAreaElement>('prompt').value.trim();
  button.disabled = current.busy || 'error' in current.mode || prompt === '';
  byId<HTMLButtonElement>('previewRequest').disabled = button.disabled;
}

/** Generate, or with `dryRun` Preview Request: the same request, shown instead of sent. */
function generate(dryRun: boolean): void {
  if (!current || byId<HTMLButtonElement>('generate').disabled) return;
  const value = (id: string) => byId<HTMLSelectElement>(id).value;
  vscode.postMessage({
    type: 'generate',
    prompt: byId<HTMLTextAreaElement>('prompt').value,
    seconds: value('seconds'),
    aspectRatio: value('aspectRatio'),
    ...(value('resolution') ? { resolution: value('resolution') } : {}),
    ...(value('fps') ? { fps: Number(value('fps')) } : {}),
    ...(dryRun ? { dryRun } : {}),
  });
}

window.addEventListener('message', (event: MessageEvent<HostToPanel>) => {
  const message = event.data;
  if (message?.type === 'state') render(message.state);
  else if (message?.type === 'setPrompt' && built) {
    const prompt = byId<HTMLTextAreaElement>('prompt');
    prompt.value = message.prompt;
    saveState();
    updateGenerate();
  }
});

vscode.postMessage({ type: 'ready' });
