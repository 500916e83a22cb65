import { api } from '../api.js';
import { formatTime, guarded, h, table, toast } from '../dom.js';

/** Deliveries kept because they could not be parsed or mapped, each with a Reprocess button. */
export function mount(container) {
  const errors = h('div');
  const body = h('div');
  const view = {
    intervalMs: 10_000,
    async refresh() {
      const data = await guarded(errors, () => api('/deliveries/failed?limit=200'));
      if (!data) return;
      const rows = data.deliveries.map((delivery) => h('tr', { 'data-failed': delivery.id },
        h('td', { className: 'num mono' }, delivery.id),
        h('td', {}, formatTime(delivery.receivedAt)),
        h('td', {}, delivery.topic),
        h('td', { className: 'muted' }, delivery.shop),
        h('td', {}, delivery.reason ?? ''),
        h('td', {}, h('button', { type: 'button', className: 'small', onclick: (event) => reprocess(event.target, delivery) }, 'Reprocess'))));
      body.replaceChildren(table([{ text: 'Id', className: 'num' }, 'Received', 'Topic', 'Shop', 'Reason', ''], rows, 'No failed deliveries.'));
    },
  };
  async function reprocess(button, delivery) {
    button.disabled = true;
    const result = await guarded(errors, () => api('/deliveries/reprocess', { method: 'POST', body: { ids: [delivery.id] } }));
    if (result) toast(`Delivery ${delivery.id} is queued to be mapped again.`);
    await view.refresh();
  }
  container.append(h('section', { className: 'card' },
    h('div', { className: 'card-head' }, h('h2', {}, 'Failed deliveries'), h('span', { className: 'muted' }, 'Reprocess after a fix: the same messageIds come out, so nothing is sent twice.')),
    errors, body));
  return view;
}
