import { api } from '../api.js';
import { countsChart, latencyChart } from '../charts.js';
import { badge, card, formatAge, guarded, h, stat, table } from '../dom.js';

function queueRow(queue) {
  return h('tr', { 'data-queue': queue.destination },
    h('td', {}, queue.destination),
    h('td', { className: 'num' }, queue.pending),
    h('td', { className: 'num' }, queue.retrying > 0 ? badge('retrying', String(queue.retrying)) : '0'),
    h('td', { className: 'num' }, queue.dead > 0 ? badge('dead', String(queue.dead)) : '0'),
    h('td', { className: 'num' }, formatAge(queue.oldestAgeSeconds)));
}

function tone(value, warnAt, badAt) {
  return value >= badAt ? 'bad' : value >= warnAt ? 'warn' : 'good';
}

/** Queues, totals and per-destination charts of the last minutes, refreshed every 10 s. */
export function mount(container) {
  const range = h('select', { id: 'health-range', 'aria-label': 'Period' },
    h('option', { value: '30' }, 'last 30 minutes'), h('option', { value: '60', selected: true }, 'last hour'),
    h('option', { value: '360' }, 'last 6 hours'), h('option', { value: '1440' }, 'last 24 hours'));
  const errors = h('div');
  const stats = h('div', { className: 'stats' });
  const queues = h('div');
  const charts = h('div');
  const byDestination = new Map();

  function chartsFor(destination) {
    if (byDestination.has(destination)) return byDestination.get(destination);
    const counts = h('div', { className: 'chart' });
    const latency = h('div', { className: 'chart' });
    charts.append(h('section', { className: 'card', 'data-destination': destination },
      h('div', { className: 'card-head' }, h('h2', {}, destination), h('span', { className: 'muted' }, 'per minute')),
      h('div', { className: 'grid-2' },
        h('div', {}, h('h3', {}, 'Delivered, retried, dead'), counts),
        h('div', {}, h('h3', {}, 'Webhook → delivery latency'), latency))));
    const made = { counts: countsChart(counts), latency: latencyChart(latency) };
    byDestination.set(destination, made);
    return made;
  }

  const view = {
    intervalMs: 10_000,
    async refresh() {
      const data = await guarded(errors, () => Promise.all([api('/status'), api('/queues'), api(`/timeseries?minutes=${range.value}`)]));
      if (!data) return;
      const [status, queue, series] = data;
      const ages = [queue.inbox.oldestAgeSeconds, ...queue.destinations.map((d) => d.oldestAgeSeconds)].filter((age) => age !== null);
      const oldest = ages.length === 0 ? null : Math.max(...ages);
      stats.replaceChildren(
        stat('waiting to be mapped', queue.inbox.pending, tone(queue.inbox.pending, 100, 1000)),
        stat('waiting to be delivered', status.outbox.pending, tone(status.outbox.pending, 500, 5000)),
        stat('oldest undelivered', oldest === null ? 'none' : formatAge(oldest), tone(oldest ?? 0, 60, 600)),
        stat('delivered (all time)', status.outbox.delivered.toLocaleString(), 'good'),
        stat('dead letters', status.outbox.dead, status.outbox.dead > 0 ? 'bad' : 'good'),
        stat('failed deliveries', status.inbox.failed, status.inbox.failed > 0 ? 'bad' : 'good'));
      queues.replaceChildren(table(['Destination', { text: 'Waiting', className: 'num' }, { text: 'Retrying', className: 'num' }, { text: 'Dead', className: 'num' }, { text: 'Oldest undelivered', className: 'num' }],
        queue.destinations.map(queueRow), 'Nothing waiting and no dead letters.'));
      const seconds = series.minutes.map((iso) => Date.parse(iso) / 1000);
      if (series.destinations.length === 0) charts.replaceChildren(h('p', { className: 'card empty' }, 'No deliveries in this period yet.'));
      else charts.querySelector('.empty')?.remove();
      for (const destination of series.destinations) {
        const made = chartsFor(destination.destination);
        made.counts.show(seconds, destination);
        made.latency.show(seconds, destination);
      }
    },
    dispose() {
      for (const made of byDestination.values()) { made.counts.dispose(); made.latency.dispose(); }
    },
  };
  range.addEventListener('change', () => void view.refresh());
  container.append(
    h('div', { className: 'toolbar' }, h('h1', {}, 'Delivery health'), h('span', { className: 'grow' }), h('label', { for: 'health-range' }, 'Show'), range),
    errors, stats, card('Queues', queues), charts);
  return view;
}
