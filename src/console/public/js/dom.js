/**
 * Builds elements without innerHTML: every value from the API is set as text, so nothing an event carries can
 * run as markup in the console.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'className') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A status badge: delivered, pending, retrying, dead or skipped. */
export function badge(status, text = status) {
  return h('span', { className: `badge ${status}` }, text);
}

export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "42 s", "3 min", "2 h 5 min". */
export function formatAge(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function table(headings, rows, empty = 'Nothing here.') {
  const head = h('thead', {}, h('tr', {}, headings.map((heading) =>
    typeof heading === 'string' ? h('th', {}, heading) : h('th', { className: heading.className }, heading.text))));
  const body = h('tbody', {}, rows.length > 0 ? rows : h('tr', {}, h('td', { className: 'empty', colspan: headings.length }, empty)));
  return h('div', { className: 'table-wrap' }, h('table', {}, head, body));
}

export function stat(label, value, tone = '') {
  return h('div', { className: `stat ${tone}` }, h('div', { className: 'value' }, value), h('div', { className: 'label' }, label));
}

export function card(title, ...children) {
  return h('section', { className: 'card' }, h('div', { className: 'card-head' }, h('h2', {}, title)), ...children);
}

let toastTimer;
/** A short message at the bottom right, e.g. after a replay. */
export function toast(message) {
  const element = document.getElementById('toast');
  element.textContent = message;
  element.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { element.hidden = true; }, 4000);
}

export function errorBox(message) {
  return h('p', { className: 'error', role: 'alert' }, message);
}

/** Runs `load` and shows its error in `slot` instead of throwing (a refresh must never stop the polling). */
export async function guarded(slot, load) {
  try {
    const result = await load();
    slot.replaceChildren();
    return result;
  } catch (error) {
    if (error.status !== 401) slot.replaceChildren(errorBox(error.message));
    return undefined;
  }
}
