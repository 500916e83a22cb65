/** The admin API with the signed-in bearer token; the token lives in sessionStorage (this tab only). */
const storageKey = 'cartstream.adminToken';

export const session = {
  token: () => sessionStorage.getItem(storageKey),
  signIn: (token) => sessionStorage.setItem(storageKey, token),
  signOut: () => sessionStorage.removeItem(storageKey),
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** What went wrong, in words an operator can act on. */
function explain(status, error) {
  if (status === 401) return 'The admin token was refused. Check CARTSTREAM_ADMIN_TOKEN and sign in again.';
  if (status === 404 && /disabled/.test(error ?? '')) return 'The admin API is disabled: set CARTSTREAM_ADMIN_TOKEN and restart cartstream.';
  return error ?? `cartstream answered HTTP ${status}.`;
}

/** Calls `/api{path}` (relative to the console, so it works behind a path prefix too). */
export async function api(path, { method = 'GET', body, token = session.token() } = {}) {
  const headers = { authorization: `Bearer ${token ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(new URL(`../api${path}`, document.baseURI), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'cartstream did not answer. Is it running?');
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const failure = new ApiError(response.status, explain(response.status, data.error));
    if (response.status === 401) window.dispatchEvent(new CustomEvent('cartstream:unauthorized', { detail: failure.message }));
    throw failure;
  }
  return data;
}
