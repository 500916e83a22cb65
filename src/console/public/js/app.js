import { api, session } from './api.js';
import * as accuracy from './views/accuracy.js';
import * as deadLetters from './views/dead-letters.js';
import * as failed from './views/failed.js';
import * as health from './views/health.js';
import * as journey from './views/journey.js';
import * as live from './views/live.js';

/** Hash → view. Each view's mount(container) returns { refresh(), intervalMs?, dispose?() }. */
const views = { live, health, accuracy, 'dead-letters': deadLetters, failed, journey };

const byId = (id) => document.getElementById(id);
let mounted = null;
let timer = null;

function viewName() {
  const name = location.hash.slice(1).split('?')[0];
  return Object.hasOwn(views, name) ? name : 'live';
}

/** Query parameters of the hash (#journey?id=7 → { id: '7' }). */
function hashParams() {
  return new URLSearchParams(location.hash.split('?')[1] ?? '');
}

function stop() {
  clearTimeout(timer);
  timer = null;
  mounted?.dispose?.();
  mounted = null;
}

/**
 * Refreshes the view now, then again every intervalMs. A hidden tab stops asking; it refreshes at once when it is
 * shown again. A view refreshes one request at a time.
 */
async function tick(view) {
  if (mounted !== view || view.busy) return;
  view.busy = true;
  clearTimeout(timer);
  timer = null;
  try {
    await view.refresh();
  } catch (error) {
    console.error('refresh failed', error);
  } finally {
    view.busy = false;
  }
  if (mounted === view && view.intervalMs && !document.hidden) timer = setTimeout(() => void tick(view), view.intervalMs);
}

function show() {
  stop();
  const name = viewName();
  for (const link of byId('tabs').querySelectorAll('a')) link.classList.toggle('active', link.dataset.view === name);
  byId('toast').hidden = true;
  const container = byId('view');
  container.replaceChildren();
  container.dataset.view = name;
  mounted = views[name].mount(container, { hashParams });
  void tick(mounted);
}

function showSignIn(message) {
  stop();
  byId('view').replaceChildren();
  byId('tabs').hidden = true;
  byId('session').hidden = true;
  byId('sign-in').hidden = false;
  const error = byId('sign-in-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  byId('token').focus();
}

async function enter(token) {
  const status = await api('/status', { token });
  session.signIn(token);
  byId('sign-in').hidden = true;
  byId('tabs').hidden = false;
  byId('session').hidden = false;
  byId('engine').textContent = `store: ${status.store}`;
  show();
}

byId('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = event.target.querySelector('button');
  button.disabled = true;
  try {
    await enter(byId('token').value.trim());
    byId('token').value = '';
  } catch (error) {
    showSignIn(error.message);
  } finally {
    button.disabled = false;
  }
});

byId('sign-out').addEventListener('click', () => {
  session.signOut();
  showSignIn();
});

window.addEventListener('cartstream:unauthorized', (event) => {
  session.signOut();
  showSignIn(event.detail);
});
window.addEventListener('hashchange', () => { if (session.token()) show(); });
document.addEventListener('visibilitychange', () => { if (!document.hidden && mounted?.intervalMs && timer === null) void tick(mounted); });

const saved = session.token();
if (saved) {
  enter(saved).catch((error) => showSignIn(error.message));
} else {
  showSignIn();
}
