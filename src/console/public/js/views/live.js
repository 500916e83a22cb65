import { api } from '../api.js';
import { badge, formatTime, guarded, h, table } from '../dom.js';

/** The status an operator reads: a pending row that has failed before is retrying. */
export function shownStatus(event) {
  return event.status === 'pending' && event.attempts > 0 ? 'retrying' : event.status;
}

function row(event, fresh) {
  return h('tr', { className: fresh ? 'fresh' : '', 'data-message-id': event.messageId },
    h('td', {}, formatTime(event.receivedAt)),
    h('td', {}, event.eventName),
    h('td', {}, event.destination),
    h('td', {}, badge(shownStatus(event))),
    h('td', { className: 'num' }, event.attempts),
    h('td', { className: 'muted' }, event.shop),
    h('td', { className: 'muted' }, event.lastError ?? ''));
}

function options(select, values) {
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '' }, 'all'), ...[...values].sort().map((v) => h('option', { value: v }, v)));
  select.value = chosen;
}

/** The newest messages, polled every 3 s; rows that were not there before flash. */
export function mount(container) {
  const destination = h('select', { id: 'live-destination', 'aria-label': 'Destination' });
  const eventName = h('select', { id: 'live-event', 'aria-label': 'Event' });
  const pause = h('input', { type: 'checkbox', id: 'live-pause' });
  const updated = h('span', { className: 'muted', id: 'live-updated' });
  const errors = h('div');
  const body = h('div');
  const seen = new Set();
  const names = new Set();
  const destinations = new Set();
  let first = true;
  const view = {
    intervalMs: 3_000,
    async refresh() {
      if (pause.checked) return;
      const query = new URLSearchParams({ limit: '50' });
      if (destination.value) query.set('destination', destination.value);
      if (eventName.value) query.set('event', eventName.value);
      const data = await guarded(errors, () => api(`/events?${query}`));
      if (!data) return;
      for (const event of data.events) { names.add(event.eventName); destinations.add(event.destination); }
      options(destination, destinations);
      options(eventName, names);
      const rows = data.events.map((event) => row(event, !first && !seen.has(event.id)));
      for (const event of data.events) seen.add(event.id);
      first = false;
      body.replaceChildren(table(['Received', 'Event', 'Destination', 'Status', { text: 'Attempts', className: 'num' }, 'Shop', 'Last error'], rows, 'No messages yet. Send a webhook and it appears here.'));
      updated.textContent = `Newest 50 · updated ${new Date().toLocaleTimeString()} · every 3 s`;
    },
  };
  const refreshNow = () => { first = true; seen.clear(); void view.refresh(); };
  destination.addEventListener('change', refreshNow);
  eventName.addEventListener('change', refreshNow);
  container.append(h('section', { className: 'card' },
    h('div', { className: 'card-head' }, h('h2', {}, 'Live events'), updated),
    h('div', { className: 'toolbar' },
      h('label', { for: 'live-destination' }, 'Destination'), destination,
      h('label', { for: 'live-event' }, 'Event'), eventName,
      h('span', { className: 'grow' }),
      h('label', { for: 'live-pause' }, pause, ' Pause')),
    errors, body));
  return view;
}
