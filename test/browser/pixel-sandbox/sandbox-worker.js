/**
 * An emulation of Shopify's strict web pixel sandbox, in a Web Worker: the global `shopify.extend` that
 * `register()` from @shopify/web-pixels-extension calls, and the API the pixel receives — `analytics.subscribe`,
 * `browser.cookie` (async, over the top frame's cookies), `browser.sendBeacon` (relayed to the page),
 * `init` with `customerPrivacy`, and `customerPrivacy.subscribe('visitorConsentCollected', …)`.
 */
const subscribers = new Map();
const privacySubscribers = new Map();
const replies = new Map();
let cookies = {};
let nextId = 0;
let extension;

const rpc = (message) => new Promise((resolve) => {
  nextId += 1;
  replies.set(nextId, resolve);
  postMessage({ ...message, id: nextId });
});

const subscribeTo = (table) => (name, callback) => {
  table.set(name, [...(table.get(name) ?? []), callback]);
  return () => true;
};

const storage = () => {
  const items = new Map();
  return {
    getItem: async (key) => items.get(key) ?? null, setItem: async (key, value) => void items.set(key, String(value)),
    removeItem: async (key) => void items.delete(key), clear: async () => items.clear(), key: async (i) => [...items.keys()][i] ?? null,
    length: async () => items.size,
  };
};

self.shopify = {
  extend(point, extend) {
    if (point === 'WebPixel::Render') extension = extend;
  },
};

function api(data) {
  return {
    analytics: { subscribe: subscribeTo(subscribers) },
    browser: {
      cookie: {
        get: async (name) => (name === undefined ? Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ') : cookies[name] ?? ''),
        set: async (name, value) => { cookies[name] = value; return `${name}=${value}`; },
      },
      sendBeacon: (url, body) => rpc({ type: 'sendBeacon', url, body }),
      localStorage: storage(),
      sessionStorage: storage(),
    },
    init: data.init,
    settings: data.settings,
    customerPrivacy: { subscribe: subscribeTo(privacySubscribers) },
    _pixelInfo: { id: 'cartstream-test', type: 'APP', runtimeContext: 'STRICT' },
  };
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'reply') {
      replies.get(data.id)?.(data.value);
      replies.delete(data.id);
    } else if (data.type === 'start') {
      cookies = { ...data.cookies };
      await import('/pixel/src/index.js');
      extension(api(data));
      postMessage({ type: 'started' });
    } else if (data.type === 'publish') {
      for (const callback of subscribers.get(data.name) ?? []) callback(data.event);
    } else if (data.type === 'consent') {
      for (const callback of privacySubscribers.get('visitorConsentCollected') ?? []) callback({ customerPrivacy: data.customerPrivacy });
    }
  } catch (error) {
    postMessage({ type: 'error', message: String(error && error.stack || error) });
  }
};
