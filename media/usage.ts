// The usage page: billed generations today, this month and in total, a chart of the last 30 days, and
// the counts per workspace and per mode. Everything is text from the host.
import type { HostToUsage, UsageState, UsageToHost } from '../src/shared/usageProtocol';
import { el, vsCodeApi } from './dom';

const vscode = vsCodeApi<UsageToHost, unknown>();
const root = document.getElementById('root') as HTMLElement;

function table(caption: string, rows: { name: string; detail?: string; count: number }[]): HTMLElement {
  const body = el('tbody');
  for (const row of rows) {
    const name = el('th', { text: row.name });
    name.scope = 'row';
    if (row.detail) name.title = row.detail;
    body.append(el('tr', {}, name, el('td', { className: 'number', text: String(row.count) })));
  }
  return el('table', {}, el('caption', { text: caption }), body);
}

/** Thirty bars, one a day: the height is the day's count against the busiest day's. */
function chart(state: UsageState): HTMLElement {
  const l = state.labels;
  const max = Math.max(0, ...state.days.map((d) => d.count));
  const bars = el('ol', { className: 'bars' });
  bars.setAttribute('aria-label', l.chart);
  for (const day of state.days) {
    const bar = el('span', { className: 'bar' });
    bar.style.setProperty('--share', String(max ? day.count / max : 0));
    const item = el('li');
    if (day.count) item.append(el('span', { className: 'value', text: String(day.count) }));
    item.append(bar, el('span', { className: 'day', text: day.label }));
    item.title = `${day.label}: ${l.generations.replace('{0}', String(day.count))}`;
    item.setAttribute('aria-label', item.title);
    bars.append(item);
  }
  return el('section', { className: 'chart' }, el('h2', { text: l.chart }), max ? bars : el('p', { className: 'muted', text: l.chartEmpty }));
}

function render(state: UsageState): void {
  const l = state.labels;
  const figures = el('div', { className: 'figures' });
  for (const figure of state.figures) {
    const card = el('div', { className: 'figure' }, el('span', { className: 'label', text: figure.label }), el('span', { className: 'count', text: String(figure.count) }));
    if (figure.estimate) card.append(el('span', { className: 'estimate', text: `≈ ${figure.estimate}` }));
    figures.append(card);
  }
  const setting = (text: string, name: 'omniVideo.dailyLimit' | 'omniVideo.pricePerGeneration') => {
    const button = el('button', { className: 'secondary', text });
    button.type = 'button';
    button.addEventListener('click', () => vscode.postMessage({ type: 'openSetting', setting: name }));
    return button;
  };
  const notes = el('div', { className: 'notes' }, el('p', { text: state.limitNote }));
  if (state.failedNote) notes.append(el('p', { className: 'muted', text: state.failedNote }));
  notes.append(el('div', { className: 'actions' }, setting(l.raiseLimit, 'omniVideo.dailyLimit'), setting(l.setPrice, 'omniVideo.pricePerGeneration')));
  const total = state.figures[state.figures.length - 1]?.count ?? 0;
  const breakdown = total
    ? el('div', { className: 'tables' }, table(l.byWorkspace, state.byWorkspace), table(l.byMode, state.byMode))
    : el('p', { className: 'muted', text: l.none });
  root.replaceChildren(el('h1', { text: l.title }), figures, notes, chart(state), breakdown);
}

window.addEventListener('message', (event: MessageEvent<HostToUsage>) => {
  if (event.data?.type === 'state') render(event.data.state);
});
vscode.postMessage({ type: 'ready' });
