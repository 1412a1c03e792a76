// Unit tests of the page's async helpers (tasks.js): refreshes that never overlap, one stream at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { coalesce, restartable } from '../../../src/DurableKube.Api/Dashboard/wwwroot/tasks.js';

/** A promise and the functions that settle it. */
function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((a, b) => { resolve = a; reject = b; });
  return { promise, resolve, reject };
}

test('calls during a refresh ask for one more run after it, which reads the state as it is then', async () => {
  let state = 1;
  const answers = [];
  const started = [];
  const pending = [];
  const refresh = coalesce(async () => {
    const seen = state;
    started.push(seen);
    const d = deferred();
    pending.push(d);
    await d.promise;
    answers.push(seen);
  }, (e) => assert.fail(e));

  const first = refresh();
  state = 2;
  refresh();
  state = 3;
  const last = refresh();
  assert.deepEqual(started, [1], 'one run at a time');
  pending[0].resolve();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(started, [1, 3], 'one more run, not two, and with the newest state');
  pending[1].resolve();
  await Promise.all([first, last]);
  assert.deepEqual(answers, [1, 3], 'the older answer never lands after the newer one');

  // Idle again: a call starts a run at once.
  state = 4;
  const again = refresh();
  assert.deepEqual(started, [1, 3, 4]);
  pending[2].resolve();
  await again;
});

test('a run that throws goes to onError, and the run asked for after it still happens', async () => {
  const errors = [];
  let calls = 0;
  const gate = deferred();
  const refresh = coalesce(async () => {
    calls++;
    if (calls === 1) {
      await gate.promise;
      throw new Error('ReplicaSets: Forbidden');
    }
  }, (e) => errors.push(e.message));
  const first = refresh();
  refresh();
  gate.resolve();
  await first;
  assert.deepEqual(errors, ['ReplicaSets: Forbidden']);
  assert.equal(calls, 2);
});

test('restartable: each next() aborts the one before, through one listener on the page\'s signal', () => {
  const page = new AbortController();
  let stopped = 0;
  const streams = restartable(page.signal, () => { stopped++; });
  const given = [];
  for (let i = 0; i < 100; i++) given.push(streams.next());
  assert.equal(getEventListeners(page.signal, 'abort').length, 1, 'a crash loop adds no listener per stream');
  assert.ok(given.slice(0, -1).every((s) => s.aborted), 'every earlier stream is ended');
  assert.equal(given.at(-1).aborted, false);

  page.abort();
  assert.equal(given.at(-1).aborted, true, 'leaving the page ends the current stream');
  assert.equal(stopped, 1);
  assert.equal(streams.next().aborted, true, 'no stream starts after the page is gone');
});
