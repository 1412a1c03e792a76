// Unit tests of LiveCollection (api.js), the list-then-watch behind every live table, against a stand-in fetch that
// answers as the API does: a Table list, watch streams of JSON lines, Status errors. node --test tests/js/dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.sessionStorage ??= { getItem: () => 'secret', setItem() {}, removeItem() {} };
const { LiveCollection, ApiError, afterFailure, TABLE, FIRST_DELAY, MAX_DELAY } = await import('../../../src/DurableKube.Api/Dashboard/wwwroot/api.js');

const PODS = '/api/v1/namespaces/default/pods';

/** A row of the pods Table as the server prints it, with the object (includeObject=Object). */
const row = (name, status, resourceVersion) => ({
  cells: [name, status],
  object: { metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion } },
});
const tableList = (resourceVersion, rows) => ({
  kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion },
  columnDefinitions: [{ name: 'Name' }, { name: 'Status' }], rows,
});
const rowEvent = (type, r) => ({ type, object: { kind: 'Table', apiVersion: 'meta.k8s.io/v1', rows: [r] } });
const status = (code, reason, message) => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

const json = (body, code = 200) => () => new Response(JSON.stringify(body), { status: code, headers: { 'Content-Type': 'application/json' } });

/**
 * A watch's answer: the events as JSON lines, then the end of the stream (the server's timeout), or, with `open`,
 * a stream that stays open (its cancellation is recorded in `open.cancelled`).
 */
function watch(events, open) {
  return () => new Response(new ReadableStream({
    start(controller) {
      for (const e of events) controller.enqueue(new TextEncoder().encode(`${JSON.stringify(e)}\n`));
      if (!open) controller.close();
    },
    cancel() {
      if (open) open.cancelled = true;
    },
  }), { status: 200 });
}

/**
 * The stand-in API: each request takes the next answer given; with none left it waits (a watch with nothing to say)
 * until the request is aborted. Records each request's address and Accept header.
 */
function fakeApi(...answers) {
  const requests = [];
  globalThis.fetch = (url, init) => {
    requests.push({ url, accept: init.headers.get('Accept') });
    const next = answers.shift();
    if (next) return Promise.resolve(next());
    return new Promise((_, reject) => {
      init.signal.addEventListener('abort', () => reject(new DOMException('The request was aborted', 'AbortError')));
    });
  };
  return requests;
}

/** Starts a live pods Table as the pods list does, recording its changes, errors and pauses. */
function livePods(query = '') {
  const seen = { changes: [], errors: [], waits: [] };
  const live = new LiveCollection(PODS, {
    table: true,
    query,
    onChange: (c) => seen.changes.push([...c.items.values()].map((r) => `${c.cell(r, 'Name')}:${c.cell(r, 'Status')}`)),
    onError: (e, { retrying }) => seen.errors.push({ code: e.code, message: e.message, retrying }),
    wait: async (ms) => { seen.waits.push(ms); },
  }).start();
  return { live, seen };
}

/** Waits until the condition holds (the collection works through its answers on the event loop). */
async function until(condition, what) {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const isWatch = (r) => r.url.includes('watch=1');
const resumedFrom = (r) => new URL(r.url, 'https://x').searchParams.get('resourceVersion');

test('the first list is the Table kubectl gets, and the watch starts from its resourceVersion', async () => {
  const requests = fakeApi(json(tableList('10', [row('web', 'Running', '9')])));
  const { live, seen } = livePods('labelSelector=app%3Dweb');
  await until(() => requests.length === 2, 'the watch');
  live.stop();
  await live.done;

  assert.equal(requests[0].url, `${PODS}?labelSelector=app%3Dweb&includeObject=Object`);
  assert.equal(requests[0].accept, TABLE);
  assert.deepEqual(seen.changes, [['web:Running']]);
  assert.equal(requests[1].url, `${PODS}?labelSelector=app%3Dweb&includeObject=Object&watch=1&allowWatchBookmarks=true&resourceVersion=10`);
  assert.equal(requests[1].accept, TABLE);
  assert.deepEqual(seen.errors, []);
});

test('ADDED, MODIFIED and DELETED rows change the items, and the next watch resumes from the last event', async () => {
  const requests = fakeApi(
    json(tableList('10', [row('web', 'Running', '9')])),
    watch([
      rowEvent('ADDED', row('db', 'Pending', '11')),
      rowEvent('MODIFIED', row('web', 'Error', '12')),
      rowEvent('MODIFIED', row('db', 'Running', '13')),
      rowEvent('DELETED', row('web', 'Error', '14')),
    ]));
  const { live, seen } = livePods();
  await until(() => requests.length === 3, 'the watch after the first one ended');
  live.stop();
  await live.done;

  assert.deepEqual(seen.changes, [
    ['web:Running'],
    ['web:Running', 'db:Pending'],
    ['web:Error', 'db:Pending'],
    ['web:Error', 'db:Running'],
    ['db:Running'],
  ]);
  assert.equal(live.updates, 4);
  // A watch that ended as the server's timeout ends it is taken up again from where it was, with no new list.
  assert.ok(isWatch(requests[2]), requests[2].url);
  assert.equal(resumedFrom(requests[2]), '14');
  assert.deepEqual(seen.waits, []);
});

test('a BOOKMARK moves the point the watch resumes from, and changes nothing', async () => {
  const requests = fakeApi(
    json(tableList('10', [row('web', 'Running', '9')])),
    watch([{ type: 'BOOKMARK', object: { kind: 'Table', metadata: { resourceVersion: '20' } } }]));
  const { live, seen } = livePods();
  await until(() => requests.length === 3, 'the watch after the bookmark');
  live.stop();
  await live.done;

  assert.equal(resumedFrom(requests[2]), '20');
  assert.ok(isWatch(requests[2]));
  assert.deepEqual(seen.changes, [['web:Running']]);
});

test('an HTTP 410 to the watch lists again after a pause, and is not reported', async () => {
  const requests = fakeApi(
    json(tableList('10', [row('web', 'Running', '9')])),
    json(status(410, 'Expired', 'too old resource version: 10 (30)'), 410),
    json(tableList('30', [row('web', 'Error', '29')])));
  const { live, seen } = livePods();
  await until(() => requests.length === 4, 'the watch after the second list');
  live.stop();
  await live.done;

  assert.ok(!isWatch(requests[2]), `a list, not ${requests[2].url}`);
  assert.equal(resumedFrom(requests[3]), '30');
  assert.deepEqual(seen.waits, [FIRST_DELAY]);
  assert.deepEqual(seen.changes, [['web:Running'], ['web:Error']]);
  assert.deepEqual(seen.errors, []);
});

test('an ERROR event with code 410 lists again after a pause and closes the watch it came on', async () => {
  const open = { cancelled: false };
  const requests = fakeApi(
    json(tableList('10', [row('web', 'Running', '9')])),
    watch([rowEvent('MODIFIED', row('web', 'Error', '11')), { type: 'ERROR', object: status(410, 'Expired', 'too old resource version') }], open),
    json(tableList('40', [])));
  const { live, seen } = livePods();
  await until(() => requests.length === 4, 'the watch after the second list');
  live.stop();
  await live.done;

  assert.equal(open.cancelled, true, 'the response of the watch that sent the ERROR was cancelled');
  assert.ok(!isWatch(requests[2]), `a list, not ${requests[2].url}`);
  assert.equal(resumedFrom(requests[3]), '40');
  assert.deepEqual(seen.waits, [FIRST_DELAY]);
  assert.deepEqual(seen.changes, [['web:Running'], ['web:Error'], []]);
  assert.deepEqual(seen.errors, []);
});

test('a 400 (an invalid label selector), a 404, a 403 or a 401 is reported once and not asked again', async () => {
  for (const [code, reason, message] of [
    [400, 'BadRequest', 'unable to parse requirement: found \'web\', expected: \'(\''],
    [404, 'NotFound', 'namespaces "gone" not found'],
    [403, 'Forbidden', 'pods is forbidden: User "viewer" cannot list resource "pods"'],
    [401, 'Unauthorized', 'Unauthorized'],
  ]) {
    const requests = fakeApi(json(status(code, reason, message), code));
    const { live, seen } = livePods('labelSelector=app%20in%20web');
    // It stops by itself.
    await live.done;
    assert.equal(requests.length, 1, `${code}: asked once`);
    assert.deepEqual(seen.errors, [{ code, message, retrying: false }], `${code}`);
    assert.deepEqual(seen.waits, [], `${code}`);
    assert.deepEqual(seen.changes, [], `${code}`);
  }
});

test('a server error is reported and asked again after pauses that grow', async () => {
  const requests = fakeApi(
    json(status(500, 'InternalError', 'storage unavailable'), 500),
    json(status(503, 'ServiceUnavailable', 'try later'), 503),
    json(tableList('10', [row('web', 'Running', '9')])));
  const { live, seen } = livePods();
  await until(() => requests.length === 4, 'the watch after the list that worked');
  live.stop();
  await live.done;

  assert.deepEqual(seen.errors, [
    { code: 500, message: 'storage unavailable', retrying: true },
    { code: 503, message: 'try later', retrying: true },
  ]);
  assert.deepEqual(seen.waits, [FIRST_DELAY, 2 * FIRST_DELAY]);
  assert.deepEqual(seen.changes, [['web:Running']]);
  assert.equal(resumedFrom(requests[3]), '10');
});

test('afterFailure: 410 lists again quietly, other client errors stop, the rest is retried with a growing pause', () => {
  const cases = [
    [new ApiError(410, 'Expired'), 500, { action: 'relist', report: false, wait: 500, next: 1000 }],
    [new ApiError(410, 'Expired'), 8000, { action: 'relist', report: false, wait: 8000, next: MAX_DELAY }],
    [new ApiError(400, 'BadRequest'), 500, { action: 'stop', report: true, wait: 0, next: 500 }],
    [new ApiError(401, 'Unauthorized'), 500, { action: 'stop', report: true, wait: 0, next: 500 }],
    [new ApiError(403, 'Forbidden'), 500, { action: 'stop', report: true, wait: 0, next: 500 }],
    [new ApiError(404, 'NotFound'), 500, { action: 'stop', report: true, wait: 0, next: 500 }],
    [new ApiError(422, 'Invalid'), 500, { action: 'stop', report: true, wait: 0, next: 500 }],
    [new ApiError(408, 'Timeout'), 500, { action: 'relist', report: true, wait: 500, next: 1000 }],
    [new ApiError(429, 'TooManyRequests'), 1000, { action: 'relist', report: true, wait: 1000, next: 2000 }],
    [new ApiError(500, 'InternalError'), 500, { action: 'relist', report: true, wait: 500, next: 1000 }],
    [new ApiError(503, 'ServiceUnavailable'), MAX_DELAY, { action: 'relist', report: true, wait: MAX_DELAY, next: MAX_DELAY }],
    [new TypeError('Failed to fetch'), 500, { action: 'relist', report: true, wait: 500, next: 1000 }],
    [new SyntaxError('Unexpected token'), 500, { action: 'relist', report: true, wait: 500, next: 1000 }],
  ];
  for (const [error, delay, expected] of cases) {
    assert.deepEqual(afterFailure(error, delay), expected, `${error.code ?? error.name} after ${delay} ms`);
  }
});
