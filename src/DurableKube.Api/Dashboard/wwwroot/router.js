// The hash router's reading of an address (pure; unit-tested by tests/js/dashboard with node --test).

/**
 * The route in an address's fragment: `#/pods/default/web?x=1` is `{path: '/pods/default/web', parts: ['pods',
 * 'default', 'web'], params}`; an empty fragment is the overview (`/`). A fragment that does not start with `/` is
 * not a route but a place in the page (the skip link's `#main`): null, and the page stays as it is. A part that is not
 * valid percent-encoding (decodeURIComponent throws) gives `{path, error}` with a message for the user.
 * @param {string} hash `location.hash`
 * @returns {{path: string, parts: string[], params: URLSearchParams} | {path: string, error: string} | null}
 */
export function parseRoute(hash) {
  const text = (hash ?? '').replace(/^#/, '');
  if (text && !text.startsWith('/')) return null;
  const at = text.indexOf('?');
  const path = (at >= 0 ? text.slice(0, at) : text) || '/';
  const params = new URLSearchParams(at >= 0 ? text.slice(at + 1) : '');
  try {
    return { path, parts: path.split('/').filter(Boolean).map(decodeURIComponent), params };
  } catch {
    return { path, error: `The address #${text} is not a page of the dashboard: part of it is not valid percent-encoding.` };
  }
}
