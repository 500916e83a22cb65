import { api } from '../api.js';
import { guarded, h, table, toast } from '../dom.js';

/** Messages a destination refused for good, each with a Replay button (same messageId, so no duplicates). */
export function mount(container) {
  const errors = h('div');
  const actions = h('div', { className: 'toolbar' });
  const body = h('div');
  const view = {
    intervalMs: 10_000,
    async refresh() {
      const data = await guarded(errors, () => api('/dead-letters?limit=200'));
      if (!data) return;
      const rows = data.deadLetters.map((letter) => h('tr', { 'data-dead-letter': letter.id },
        h('td', { className: 'num mono' }, letter.id),
        h('td', {}, letter.destination),
        h('td', {}, letter.eventName),
        h('td', { className: 'muted' }, letter.shop),
        h('td', {}, letter.reason),
        h('td', { className: 'num' }, letter.attempts),
        h('td', {}, h('button', { type: 'button', className: 'small', onclick: (event) => replay(event.target, letter) }, 'Replay'))));
      actions.replaceChildren(...replayAllButtons(data.deadLetters));
      body.replaceChildren(table([{ text: 'Id', className: 'num' }, 'Destination', 'Event', 'Shop', 'Reason', { text: 'Attempts', className: 'num' }, ''], rows, 'No dead letters. Every message was delivered or is still being tried.'));
    },
  };
  function replayAllButtons(letters) {
    const counts = new Map();
    for (const letter of letters) counts.set(letter.destination, (counts.get(letter.destination) ?? 0) + 1);
    const summary = h('span', { className: 'muted grow' }, letters.length === 0 ? '' : `${letters.length}${letters.length === 200 ? '+' : ''} dead letters, newest first.`);
    return [summary, ...[...counts.keys()].sort().map((destination) =>
      h('button', { type: 'button', onclick: (event) => replayAll(event.target, destination) }, `Replay all of ${destination}`))];
  }
  async function replayAll(button, destination) {
    if (!confirm(`Queue every dead letter of ${destination} again?`)) return;
    button.disabled = true;
    const result = await guarded(errors, () => api('/dead-letters/replay', { method: 'POST', body: { destination } }));
    if (result) toast(`${result.requeued} messages are queued for ${destination} again.`);
    await view.refresh();
  }
  async function replay(button, letter) {
    button.disabled = true;
    const result = await guarded(errors, () => api('/dead-letters/replay', { method: 'POST', body: { destination: letter.destination, ids: [letter.id] } }));
    if (result) toast(result.requeued === 1 ? `Message ${letter.id} is queued for ${letter.destination} again.` : 'It was no longer a dead letter.');
    await view.refresh();
  }
  container.append(h('section', { className: 'card' },
    h('div', { className: 'card-head' }, h('h2', {}, 'Dead letters'), h('span', { className: 'muted' }, 'Replaying sends the same messageId, so a destination drops it if it already has it.')),
    errors, actions, body));
  return view;
}
