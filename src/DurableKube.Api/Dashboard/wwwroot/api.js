// Calls to the API of the page's own origin, with the signed-in user's bearer token.

const KEY = 'durablekube.token';
export const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export function token() {
  return sessionStorage.getItem(KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(KEY, value);
  else sessionStorage.removeItem(KEY);
}

/**
 * Takes a token given in the address (`#token=...`) once, and removes it from the address bar and history.
 * @returns {boolean} whether there was one
 */
export function takeTokenFromAddress() {
  const match = location.hash.match(/[#&]token=([^&]+)/);
  if (!match) return false;
  let value;
  try {
    value = decodeURIComponent(match[1]);
  } catch {
    value = match[1];
  }
  setToken(value);
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
  return true;
}

/** A failed call, with the Kubernetes Status the API answered. */
export class ApiError extends Error {
  constructor(code, reason, message) {
    super(message || reason || `HTTP ${code}`);
    this.code = code;
    this.reason = reason;
  }
}

function headers(extra) {
  const h = new Headers(extra);
  const t = token();
  if (t) h.set('Authorization', `Bearer ${t}`);
  return h;
}

async function fail(response) {
  let reason = response.statusText;
  let message = '';
  try {
    const status = await response.json();
    reason = status.reason ?? reason;
    message = status.message ?? '';
  } catch {
    // Not a Status.
  }
  throw new ApiError(response.status, reason, message);
}

/**
 * One call. Answers the parsed JSON (or nothing for an empty body); throws ApiError with the Status of a failure.
 * @param {string} method
 * @param {string} path
 * @param {{body?: any, contentType?: string, accept?: string, signal?: AbortSignal}} [options]
 */
export async function call(method, path, options = {}) {
  const init = { method, headers: headers({ Accept: options.accept ?? 'application/json' }), signal: options.signal };
  if (options.body !== undefined) {
    init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    init.headers.set('Content-Type', options.contentType ?? 'application/json');
  }
  const response = method === 'GET' ? await fetchRetrying(path, init) : await fetch(path, init);
  if (!response.ok) await fail(response);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

export const get = (path, options) => call('GET', path, options);

/**
 * A read sent again when it never reached the API (fetch rejects: the browser's network changed, a connection dropped),
 * up to three times with growing pauses. Only reads: a write that may have arrived is never sent twice.
 */
async function fetchRetrying(path, init) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(path, init);
    } catch (e) {
      if (init.signal?.aborted || attempt > 3) throw e;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

/**
 * Reads a streamed response line by line (a watch's events, a followed log) until it ends or the signal aborts.
 * @param {string} path
 * @param {{accept?: string, signal?: AbortSignal}} options
 * @param {(line: string) => void} onLine
 */
export async function stream(path, options, onLine) {
  const response = await fetch(path, { headers: headers({ Accept: options.accept ?? 'application/json' }), signal: options.signal });
  if (!response.ok) await fail(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        onLine(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
      }
    }
    if (buffer) onLine(buffer);
  } catch (e) {
    // A line that throws (a watch's ERROR event) ends the read: close the response rather than leave it open until
    // the server ends it.
    reader.cancel().catch(() => {});
    throw e;
  }
}

/** The path of a resource collection: core (`/api/v1`) or a group's, in a namespace or across all. */
export function collectionPath(group, version, plural, namespace) {
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}` : `${base}/${plural}`;
}

/** The first pause after a failed list or watch; it doubles with each failure in a row, up to MAX_DELAY. */
export const FIRST_DELAY = 500;
export const MAX_DELAY = 10000;

/**
 * What a live collection does after its list or watch failed (pure). `delay` is the pause due now; `next` the one after.
 * - 410 Gone (the watch's resourceVersion is too old, as an HTTP answer or a watch's ERROR event): list again after
 *   the pause, which is expected now and then and so not reported.
 * - 401, 403 and any other 4xx but 408 and 429 (an invalid label selector's 400, a namespace's 404): stop and report
 *   it: the same request would fail the same way.
 * - Anything else (5xx, 408, 429, the network, a stream cut short, a line that is not JSON): report it and list again
 *   after the pause.
 * @param {unknown} error
 * @param {number} delay milliseconds
 * @returns {{action: 'relist'|'stop', report: boolean, wait: number, next: number}}
 */
export function afterFailure(error, delay) {
  const code = error instanceof ApiError ? error.code : 0;
  const next = Math.min(delay * 2, MAX_DELAY);
  if (code === 410) return { action: 'relist', report: false, wait: delay, next };
  if (code >= 400 && code < 500 && code !== 408 && code !== 429) return { action: 'stop', report: true, wait: 0, next: delay };
  return { action: 'relist', report: true, wait: delay, next };
}

/** A pause that ends early when the signal aborts. */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    const early = () => { clearTimeout(timer); resolve(); };
    const timer = setTimeout(() => { signal.removeEventListener('abort', early); resolve(); }, ms);
    signal.addEventListener('abort', early, { once: true });
  });
}

/**
 * A live collection: a list, then a watch from its resourceVersion (or the last event's or bookmark's), again after a
 * watch ends (the server's timeout), and a fresh list after a failure (afterFailure says when, or to stop). Rows are
 * kept by uid; `onChange` gets them all after each change, `onError(error, {retrying})` each failure it reports.
 * With `table`, items are Table rows (cells as kubectl prints them, and the object); otherwise plain objects.
 * `wait(ms, signal)` makes the pauses (the unit tests give their own).
 */
export class LiveCollection {
  constructor(path, { table = false, query = '', onChange, onError, wait = sleep }) {
    this.path = path;
    this.table = table;
    this.query = query;
    this.onChange = onChange;
    this.onError = onError ?? (() => {});
    this.wait = wait;
    this.items = new Map();
    this.columns = [];
    this.abort = new AbortController();
    this.updates = 0;
  }

  start() {
    this.done = this.run();
    return this;
  }

  stop() {
    this.abort.abort();
  }

  url(extra) {
    const q = [this.query, this.table ? 'includeObject=Object' : '', extra].filter(Boolean).join('&');
    return `${this.path}?${q}`;
  }

  keyOf(item) {
    const meta = this.table ? item.object?.metadata : item.metadata;
    return meta?.uid ?? `${meta?.namespace}/${meta?.name}`;
  }

  async list() {
    const list = await get(this.url(''), { accept: this.table ? TABLE : 'application/json', signal: this.abort.signal });
    this.items.clear();
    if (this.table) {
      this.columns = (list.columnDefinitions ?? []).map((c) => c.name);
      for (const row of list.rows ?? []) this.items.set(this.keyOf(row), row);
    } else {
      for (const item of list.items ?? []) this.items.set(this.keyOf(item), item);
    }
    this.onChange(this);
    return list.metadata?.resourceVersion ?? '';
  }

  apply(event) {
    if (event.type === 'BOOKMARK') return event.object?.metadata?.resourceVersion;
    if (event.type === 'ERROR') {
      throw new ApiError(event.object?.code ?? 500, event.object?.reason, event.object?.message);
    }
    const entries = this.table ? (event.object?.rows ?? []) : [event.object];
    if (this.table && event.object?.columnDefinitions?.length) this.columns = event.object.columnDefinitions.map((c) => c.name);
    let version;
    for (const item of entries) {
      const key = this.keyOf(item);
      if (event.type === 'DELETED') this.items.delete(key);
      else this.items.set(key, item);
      version = (this.table ? item.object?.metadata : item.metadata)?.resourceVersion ?? version;
    }
    this.updates++;
    this.onChange(this);
    return version ?? event.object?.metadata?.resourceVersion;
  }

  async run() {
    const signal = this.abort.signal;
    let version = '';
    let delay = FIRST_DELAY;
    while (!signal.aborted) {
      try {
        if (!version) version = await this.list();
        await stream(this.url(`watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(version)}`), {
          accept: this.table ? TABLE : 'application/json',
          signal,
        }, (line) => {
          if (!line.trim()) return;
          version = this.apply(JSON.parse(line)) ?? version;
        });
        delay = FIRST_DELAY;
      } catch (e) {
        if (signal.aborted) return;
        const then = afterFailure(e, delay);
        if (then.report) this.onError(e, { retrying: then.action !== 'stop' });
        if (then.action === 'stop') return;
        await this.wait(then.wait, signal);
        delay = then.next;
        version = '';
      }
    }
  }

  /** The cell of a table row by column name. */
  cell(row, column) {
    const i = this.columns.indexOf(column);
    return i >= 0 ? row.cells[i] : undefined;
  }
}
