// Unit tests of the workflow panel's refresh (serialRefresh): node --test tests/js/dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const { serialRefresh } = await import('../../../src/DurableKube.Api/Dashboard/wwwroot/views/workflow.js');

/** A read whose answers the test hands out one at a time (resolve or reject), in the order they were asked for. */
function controlledRead() {
  const pending = [];
  const read = () => new Promise((resolve, reject) => pending.push({ resolve, reject }));
  const settle = async (outcome) => {
    assert.ok(pending.length > 0, 'no read is waiting');
    const next = pending.shift();
    if (outcome instanceof Error) next.reject(outcome); else next.resolve(outcome);
    // Let the refresh render (or report) and start its next read.
    await new Promise((r) => setImmediate(r));
  };
  return { read, settle, waiting: () => pending.length };
}

test('a refresh asked for while one reads runs once after it, however many were asked for', async () => {
  const { read, settle, waiting } = controlledRead();
  const shown = [];
  const refresh = serialRefresh(read, (v) => shown.push(v), () => assert.fail('no failure expected'));
  const first = refresh();
  refresh();
  refresh();
  assert.equal(waiting(), 1, 'one read at a time');
  await settle('a');
  assert.equal(waiting(), 1, 'the calls made meanwhile ask for one more read');
  await settle('b');
  await first;
  assert.deepEqual(shown, ['a', 'b']);
  assert.equal(waiting(), 0);
});

test('a refresh after the last one finished reads again', async () => {
  const { read, settle } = controlledRead();
  const shown = [];
  const refresh = serialRefresh(read, (v) => shown.push(v), () => {});
  const one = refresh();
  await settle(1);
  await one;
  const two = refresh();
  await settle(2);
  await two;
  assert.deepEqual(shown, [1, 2]);
});

for (const { name, outcomes, reported, shown } of [
  { name: 'a failure is reported', outcomes: [new Error('x')], reported: ['x'], shown: [] },
  { name: 'a failure repeated is reported once', outcomes: [new Error('x'), new Error('y'), new Error('z')], reported: ['x'], shown: [] },
  { name: 'a failure after a success is reported again', outcomes: [new Error('x'), 'ok', new Error('y')], reported: ['x', 'y'], shown: ['ok'] },
  { name: 'successes report nothing', outcomes: ['a', 'b'], reported: [], shown: ['a', 'b'] },
]) {
  test(name, async () => {
    const { read, settle } = controlledRead();
    const got = { reported: [], shown: [] };
    const refresh = serialRefresh(read, (v) => got.shown.push(v), (e) => got.reported.push(e.message));
    for (const outcome of outcomes) {
      const done = refresh();
      await settle(outcome);
      await done;
    }
    assert.deepEqual(got, { reported, shown });
  });
}

test('a render that throws is reported as a failure, and the next refresh still runs', async () => {
  const { read, settle } = controlledRead();
  const reported = [];
  let fail = true;
  const shown = [];
  const refresh = serialRefresh(read, (v) => { if (fail) throw new Error('bad view'); shown.push(v); }, (e) => reported.push(e.message));
  const one = refresh();
  await settle('v1');
  await one;
  fail = false;
  const two = refresh();
  await settle('v2');
  await two;
  assert.deepEqual({ reported, shown }, { reported: ['bad view'], shown: ['v2'] });
});
