// Unit tests of the dashboard's API calls with a stand-in fetch: node --test tests/js/dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.sessionStorage ??= { getItem: () => 'secret', setItem() {}, removeItem() {} };
const { get, call } = await import('../../../src/DurableKube.Api/Dashboard/wwwroot/api.js');

/** A fetch that rejects as a browser does when the request never left (network changed), then answers. */
function flakyFetch(failures, body = '{"kind":"PodList"}') {
  const calls = [];
  globalThis.fetch = async (path, init) => {
    calls.push({ path, method: init.method, auth: init.headers.get('Authorization') });
    if (calls.length <= failures) throw new TypeError('Failed to fetch');
    return new Response(body, { status: 200 });
  };
  return calls;
}

test('a read that never reached the API is sent again, with the token each time', async () => {
  const calls = flakyFetch(2);
  assert.deepEqual(await get('/api/v1/pods'), { kind: 'PodList' });
  assert.equal(calls.length, 3);
  assert.ok(calls.every((c) => c.auth === 'Bearer secret'));
});

test('a read gives up after three more tries', async () => {
  const calls = flakyFetch(10);
  await assert.rejects(get('/api/v1/pods'), TypeError);
  assert.equal(calls.length, 4);
});

test('a write is never sent twice: it may have arrived', async () => {
  const calls = flakyFetch(1);
  await assert.rejects(call('DELETE', '/api/v1/namespaces/default/pods/web'), TypeError);
  assert.equal(calls.length, 1);
});

test('an aborted read is not sent again', async () => {
  const calls = flakyFetch(1);
  const abort = new AbortController();
  abort.abort();
  await assert.rejects(get('/api/v1/pods', { signal: abort.signal }), TypeError);
  assert.equal(calls.length, 1);
});

test('an answer with an error status is not a network failure and is not retried', async () => {
  const calls = [];
  globalThis.fetch = async () => {
    calls.push(1);
    return new Response('{"kind":"Status","reason":"Forbidden","message":"no","code":403}', { status: 403 });
  };
  await assert.rejects(get('/api/v1/secrets'), (e) => e.code === 403 && e.reason === 'Forbidden');
  assert.equal(calls.length, 1);
});
