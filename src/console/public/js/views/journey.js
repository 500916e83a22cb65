import { api } from '../api.js';
import { badge, card, formatTime, guarded, h, table } from '../dom.js';

function step(s) {
  return h('li', { 'data-message-id': s.messageId },
    h('div', { className: 'when' }, formatTime(s.receivedAt), ' · ', s.shop),
    h('div', { className: 'what' }, s.eventName, s.orderId ? h('span', { className: 'muted' }, `  order ${s.orderId}`) : null, s.total ? h('span', {}, `  ${s.total}`) : null),
    h('div', { className: 'muted mono' }, s.userId ? `userId ${s.userId}` : '', s.userId && s.anonymousId ? ' · ' : '', s.anonymousId ? `anonymousId ${s.anonymousId}` : ''),
    h('div', { className: 'dests' }, s.destinations.map((d) => badge(d.status, `${d.destination}: ${d.status}`))));
}

/** One shop's profile of the customer: who they are, what they are worth net of refunds, their orders. */
function profileCard(p) {
  const name = [p.traits?.firstName, p.traits?.lastName].filter(Boolean).join(' ');
  const who = [name, p.traits?.email].filter(Boolean).join(' · ') || 'no customer record seen yet';
  return card(`Profile in ${p.shop}`,
    h('p', { className: 'muted' }, who),
    h('p', { 'data-profile-summary': '' }, `Lifetime value ${p.lifetimeValue ?? '0'} net of refunds · ${p.orderCount} orders`,
      p.firstOrderAt ? ` · first ${formatTime(p.firstOrderAt)} · last ${formatTime(p.lastOrderAt)}` : ''),
    table(['Order', 'Placed', 'Total', 'Refunded'], p.orders.map((o) =>
      h('tr', {}, [o.orderId, formatTime(o.placedAt), o.total, o.refunded].map((cell) => h('td', {}, cell)))), 'No orders.'));
}

/** Everything sent about one customer, their profile, and the browser ids joined to them, oldest first. */
export function mount(container, { hashParams }) {
  const input = h('input', { id: 'journey-id', name: 'id', placeholder: 'customer id (userId)', required: true, spellcheck: 'false', value: hashParams().get('id') ?? '' });
  const errors = h('div');
  const body = h('div');
  const view = {
    async refresh() {
      const id = input.value.trim();
      if (!id) {
        body.replaceChildren(h('p', { className: 'muted' }, 'Enter a customer id (by default the Shopify customer id) to see everything cartstream sent about them.'));
        return;
      }
      const path = `/customers/${encodeURIComponent(id)}`;
      const [journey, profile] = await guarded(errors, () => Promise.all([api(`${path}/journey`), api(`${path}/profile`)])) ?? [];
      if (!journey) return;
      body.replaceChildren(
        ...profile.profiles.map(profileCard),
        card(`Customer ${journey.userId}`,
          h('p', { className: 'muted' }, `${journey.steps.length} messages. Browser ids joined to this customer:`),
          h('div', { className: 'chips' }, journey.anonymousIds.length > 0 ? journey.anonymousIds.map((a) => h('span', { className: 'pill mono' }, a)) : h('span', { className: 'muted' }, 'none'))),
        card('Journey', journey.steps.length > 0 ? h('ol', { className: 'timeline', id: 'journey-steps' }, journey.steps.map(step)) : h('p', { className: 'empty' }, 'No messages for this customer.')));
    },
  };
  const form = h('form', { className: 'toolbar', onsubmit: (event) => {
    event.preventDefault();
    history.replaceState(null, '', `#journey?id=${encodeURIComponent(input.value.trim())}`);
    void view.refresh();
  } }, h('h1', {}, 'Customer journey'), h('span', { className: 'grow' }), input, h('button', { type: 'submit' }, 'Show'));
  container.append(form, errors, body);
  return view;
}
