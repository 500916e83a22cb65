import { api } from '../api.js';
import { badge, card, guarded, h, stat, table } from '../dom.js';

const periods = [['1', 'last hour'], ['24', 'last 24 hours'], ['168', 'last 7 days'], ['744', 'last 31 days']];

function differenceClass(text) {
  if (/^-?0(\.0+)?$/.test(text)) return 'diff-zero';
  return text.startsWith('-') ? 'diff-neg' : 'diff-pos';
}

function revenueTable(revenue) {
  const rows = revenue.flatMap((currency) => [
    h('tr', {}, h('td', {}, h('strong', {}, currency.currency)), h('td', {}, 'Shopify sent'),
      h('td', { className: 'num' }, currency.shopify.orders), h('td', { className: 'num' }, currency.shopify.refunds),
      h('td', { className: 'num' }, h('strong', {}, currency.shopify.net)), h('td', { className: 'num' }, ''), h('td', { className: 'num' }, '')),
    ...currency.destinations.map((d) => h('tr', { 'data-revenue': `${currency.currency} ${d.destination}` },
      h('td', {}, ''), h('td', {}, `delivered to ${d.destination}`),
      h('td', { className: 'num' }, d.orders), h('td', { className: 'num' }, d.refunds), h('td', { className: 'num' }, d.net),
      h('td', { className: 'num muted' }, d.excluded), h('td', { className: `num ${differenceClass(d.difference)}` }, d.difference))),
  ]);
  const num = (text) => ({ text, className: 'num' });
  return table(['Currency', '', num('Order Completed'), num('Order Refunded'), num('Net'), num('Left out by its options'), num('Difference')], rows, 'No orders or refunds in this period.');
}

function byStatusTable(orderCompleted) {
  const num = (text) => ({ text, className: 'num' });
  const rows = orderCompleted.map(({ destination, byStatus }) => h('tr', { 'data-order-completed': destination },
    h('td', {}, destination),
    ...['delivered', 'pending', 'dead', 'skipped'].map((s) => h('td', { className: 'num' }, byStatus[s] > 0 ? badge(s, String(byStatus[s])) : '0'))));
  return table(['Destination', num('Delivered'), num('Pending'), num('Dead'), num('Skipped')], rows, 'No Order Completed messages in this period.');
}

function differencesTable(report) {
  const rows = report.differences.map((d) => h('tr', {},
    h('td', { className: 'mono' }, d.orderId), h('td', {}, d.destination),
    h('td', { className: 'num' }, d.shopify), h('td', { className: 'num' }, d.delivered),
    h('td', {}, h('ul', { className: 'why' }, d.why.map((why) => h('li', {}, why))))));
  const more = report.unlisted.differences > 0 ? h('p', { className: 'muted' }, `and ${report.unlisted.differences} more`) : null;
  return [table(['Order', 'Destination', { text: 'Shopify (net)', className: 'num' }, { text: 'Delivered (net)', className: 'num' }, 'Why'], rows, 'Every order matches what Shopify sent.'), more];
}

function excludedTables(report) {
  const where = (destinations) => (destinations.length > 0 ? destinations.join(', ') : 'all');
  const rules = report.excluded.byRule.map((r) => h('tr', {}, h('td', {}, r.rule), h('td', {}, where(r.destinations)), h('td', { className: 'num' }, r.orders)));
  const orders = report.excluded.orders.slice(0, 50).map((o) => h('tr', {},
    h('td', { className: 'mono' }, o.orderId), h('td', {}, o.sourceName ?? '—'), h('td', {}, where(o.destinations)), h('td', { className: 'muted' }, o.rule)));
  return [
    table(['Rule', 'Destinations', { text: 'Orders', className: 'num' }], rules, 'No order was left out.'),
    orders.length > 0 ? h('h3', {}, 'Orders') : null,
    orders.length > 0 ? table(['Order', 'Channel (source_name)', 'Destinations', 'Rule'], orders) : null,
  ];
}

function failedTable(report) {
  const rows = report.failed.map((f) => h('tr', {}, h('td', { className: 'mono' }, f.orderId), h('td', {}, f.reason)));
  return table(['Order', 'Why it could not be mapped'], rows, 'No order failed to map.');
}

function render(body, report) {
  const diffs = report.differences.length + report.unlisted.differences;
  body.replaceChildren(
    h('p', { className: 'muted' }, `Webhooks received from ${new Date(report.period.since).toLocaleString()} to ${new Date(report.period.until).toLocaleString()}.`),
    h('div', { className: 'stats' },
      h('div', { 'data-stat': 'orders' }, stat('Shopify orders received', report.shopify.orders)),
      h('div', { 'data-stat': 'refunds' }, stat('refunds received', report.shopify.refunds)),
      h('div', { 'data-stat': 'order-completed' }, stat('became Order Completed', report.orders.orderCompleted, 'good')),
      h('div', { 'data-stat': 'excluded' }, stat('left out by a rule', report.orders.excluded)),
      h('div', { 'data-stat': 'failed' }, stat('failed to map', report.orders.failed, report.orders.failed > 0 ? 'bad' : '')),
      h('div', { 'data-stat': 'differences' }, stat('orders that differ', diffs, diffs > 0 ? 'warn' : 'good'))),
    card('Order Completed by destination', byStatusTable(report.orderCompleted)),
    card('Revenue net of refunds', h('p', { className: 'muted' }, 'Order Completed total minus Order Refunded total, summed exactly in each currency’s minor unit.'), revenueTable(report.revenue)),
    card('Orders that differ from what Shopify sent', ...differencesTable(report)),
    card('Orders left out, and the rule that left them out', ...excludedTables(report)),
    card('Orders that failed to map', failedTable(report)));
}

/** The accuracy report of a chosen period; run on demand (it reads the raw order bodies). */
export function mount(container) {
  const period = h('select', { id: 'accuracy-period', 'aria-label': 'Period' }, periods.map(([hours, label]) => h('option', { value: hours, selected: hours === '24' }, label)));
  const run = h('button', { type: 'button', id: 'accuracy-run' }, 'Refresh');
  const errors = h('div');
  const body = h('div', { id: 'accuracy-report' }, h('p', { className: 'muted' }, 'Loading…'));
  const view = {
    async refresh() {
      run.disabled = true;
      const until = new Date();
      const since = new Date(until.getTime() - Number(period.value) * 3_600_000);
      const query = new URLSearchParams({ since: since.toISOString(), until: until.toISOString() });
      const report = await guarded(errors, () => api(`/accuracy?${query}`));
      run.disabled = false;
      if (report) render(body, report);
    },
  };
  period.addEventListener('change', () => void view.refresh());
  run.addEventListener('click', () => void view.refresh());
  container.append(
    h('div', { className: 'toolbar' }, h('h1', {}, 'Accuracy report'), h('span', { className: 'grow' }), h('label', { for: 'accuracy-period' }, 'Period'), period, run),
    errors, body);
  return view;
}
