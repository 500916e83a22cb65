/**
 * Tests may only talk to this machine: any fetch to another host fails loudly instead of reaching a real SaaS API.
 */
const realFetch = globalThis.fetch;
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!loopbackHosts.has(url.hostname)) {
    throw new Error(`network blocked in tests: ${url.origin} is not loopback`);
  }
  return realFetch(input, init);
};
