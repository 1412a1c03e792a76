import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutTimeline, runClass } from '../../../src/DurableKube.Api/Dashboard/wwwroot/timeline.js';

const t = (sec) => new Date(Date.parse('2026-12-03T12:00:00Z') + sec * 1000).toISOString();
const now = Date.parse(t(100));

test('a run is coloured by how it ended', () => {
  assert.equal(runClass({ finishedAt: null }), 'run-live');
  assert.equal(runClass({ finishedAt: t(1), exitCode: 0 }), 'run-ok');
  assert.equal(runClass({ finishedAt: t(1), exitCode: 1 }), 'run-failed');
  assert.equal(runClass({ finishedAt: t(1), exitCode: 137 }), 'run-killed');
});

test('runs become bars from start to exit, with the back-off gaps between them and the pending restart', () => {
  const layout = layoutTimeline([{
    name: 'app',
    runs: [
      { attempt: 1, startedAt: t(10), finishedAt: t(20), exitCode: 1 },
      { attempt: 0, startedAt: t(0), finishedAt: t(5), exitCode: 1 },
      { attempt: 2, startedAt: t(40), finishedAt: t(50), exitCode: 137 },
    ],
    restartAt: t(200),
  }], now, 1000);

  assert.equal(layout.start, Date.parse(t(0)));
  assert.equal(layout.end, Date.parse(t(200)));
  const row = layout.rows[0];
  assert.deepEqual(row.bars.map((b) => b.attempt), [0, 1, 2]);
  assert.deepEqual(row.bars.map((b) => Math.round(b.x)), [0, 50, 200]);
  assert.deepEqual(row.bars.map((b) => Math.round(b.w)), [25, 50, 50]);
  assert.deepEqual(row.bars.map((b) => b.cls), ['run-failed', 'run-failed', 'run-killed']);
  assert.deepEqual(row.gaps.map((g) => g.seconds), [5, 20, 150]);
  assert.equal(row.gaps[2].pending, true);
  assert.equal(Math.round(row.pending.x), 1000);
  assert.equal(row.pending.inSeconds, 100);
});

test('a running run reaches now and has no pending restart', () => {
  const layout = layoutTimeline([{ name: 'app', runs: [{ attempt: 0, startedAt: t(50), finishedAt: null }], restartAt: null }], now, 500);
  const [bar] = layout.rows[0].bars;
  assert.equal(bar.cls, 'run-live');
  assert.equal(Math.round(bar.x + bar.w), 500);
  assert.equal(layout.rows[0].pending, null);
  assert.equal(bar.seconds, 50);
});

test('several containers share one axis, and a container without runs has an empty row', () => {
  const layout = layoutTimeline([
    { name: 'init', runs: [{ attempt: 0, startedAt: t(0), finishedAt: t(2), exitCode: 0 }] },
    { name: 'app', runs: [{ attempt: 0, startedAt: t(2), finishedAt: null }] },
    { name: 'sidecar', runs: [] },
  ], now, 100);
  assert.equal(layout.rows.length, 3);
  assert.equal(layout.rows[0].bars[0].cls, 'run-ok');
  assert.equal(Math.round(layout.rows[1].bars[0].x), 2);
  assert.deepEqual(layout.rows[2].bars, []);
});

test('nothing to draw lays out empty rows', () => {
  const layout = layoutTimeline([{ name: 'app', runs: [] }], now, 100);
  assert.equal(layout.start, now);
  assert.deepEqual(layout.rows[0].gaps, []);
});

test('a tiny run still gets a visible bar', () => {
  const layout = layoutTimeline([{ name: 'app', runs: [{ attempt: 0, startedAt: t(0), finishedAt: t(0), exitCode: 1 }] }], Date.parse(t(3600)), 100);
  assert.equal(layout.rows[0].bars[0].w, 2);
});
