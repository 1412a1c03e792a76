// Unit tests of the dashboard's pure pieces: node --test tests/js/dashboard (run by DashboardScriptTests in the Api tests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, age, normalizeSelector, selectorString, countByPhase, filterAddress, podEventsPath, restartsNow } from '../../../src/DurableKube.Api/Dashboard/wwwroot/format.js';

const s = 1000;
const m = 60 * s;
const hr = 60 * m;
const d = 24 * hr;

test('humanDuration matches apimachinery HumanDuration, the AGE kubectl prints', () => {
  const cases = [
    [-2 * s, '<invalid>'], [-1 * s, '0s'], [-500, '0s'], [0, '0s'], [59 * s, '59s'], [119 * s, '119s'],
    [2 * m, '2m'], [2 * m + 5 * s, '2m5s'], [9 * m + 59 * s, '9m59s'], [10 * m + 30 * s, '10m'], [179 * m, '179m'],
    [3 * hr, '3h'], [3 * hr + 25 * m, '3h25m'], [7 * hr + 59 * m, '7h59m'], [8 * hr + 30 * m, '8h'], [47 * hr, '47h'],
    [2 * d, '2d'], [2 * d + 5 * hr, '2d5h'], [7 * d + 23 * hr, '7d23h'], [8 * d, '8d'], [729 * d, '729d'],
    [730 * d, '2y'], [731 * d, '2y1d'], [8 * 365 * d, '8y'],
  ];
  for (const [ms, expected] of cases) assert.equal(humanDuration(ms), expected, `${ms} ms`);
});

test('age is measured from the timestamp, and unknown without one', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  assert.equal(age('2026-12-03T11:59:30Z', now), '30s');
  assert.equal(age('2026-12-03T11:55:00Z', now), '5m');
  assert.equal(age(undefined, now), '<unknown>');
  assert.equal(age('not a time', now), '<unknown>');
});

test('selectors are trimmed as typed and built from a controller selector as kubectl writes them', () => {
  assert.equal(normalizeSelector(' app=web , tier!=db,, '), 'app=web,tier!=db');
  assert.equal(normalizeSelector(''), '');
  assert.equal(selectorString({ matchLabels: { app: 'web' }, matchExpressions: [
    { key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'NotIn', values: ['c'] },
    { key: 'y', operator: 'Exists' }, { key: 'z', operator: 'DoesNotExist' }] }), 'app=web,tier in (a,b),x notin (c),y,!z');
  assert.equal(selectorString(undefined), '');
});

test('pods count by phase, terminating apart', () => {
  const counts = countByPhase([
    { status: { phase: 'Running' } }, { status: { phase: 'Running' } }, { status: {} },
    { status: { phase: 'Failed' } }, { metadata: { deletionTimestamp: 'x' }, status: { phase: 'Running' } },
  ]);
  assert.deepEqual(counts, { Pending: 1, Running: 2, Succeeded: 0, Failed: 1, Unknown: 0, Terminating: 1 });
});

test('the filters of a list page go into its address, empty ones left out and the selector normalized', () => {
  const cases = [
    ['pods', '', '', '#/pods'],
    ['pods', 'web', '', '#/pods?namespace=web'],
    ['pods', '', ' app=web , tier!=db ', '#/pods?labelSelector=app%3Dweb%2Ctier%21%3Ddb'],
    ['controllers', 'web', 'app in (a,b)', '#/controllers?namespace=web&labelSelector=app+in+%28a%2Cb%29'],
    ['controllers', '', ' , ', '#/controllers'],
  ];
  for (const [page, namespace, selector, expected] of cases) assert.equal(filterAddress(page, namespace, selector), expected, `${page} ${namespace} ${selector}`);
  // What the router reads back from it is what was typed.
  const q = new URLSearchParams(filterAddress('pods', 'web', 'app in (a,b)').split('?')[1]);
  assert.equal(q.get('labelSelector'), 'app in (a,b)');
});

test('podEventsPath asks for a pod\'s events as kubectl describe does, by uid once it is known', () => {
  assert.equal(podEventsPath('default', 'web', undefined),
    '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb%2CinvolvedObject.kind%3DPod');
  assert.equal(podEventsPath('team a', 'web', 'u-1'),
    '/api/v1/namespaces/team%20a/events?fieldSelector=involvedObject.name%3Dweb%2CinvolvedObject.kind%3DPod%2CinvolvedObject.uid%3Du-1');
});

test('restartsNow keeps the server\'s count and measures its "ago" again from the latest finishedAt, as kubectl would now', () => {
  const now = Date.parse('2026-12-04T12:10:00Z');
  const pod = {
    status: {
      initContainerStatuses: [{ name: 'setup', lastState: { terminated: { finishedAt: '2026-12-04T12:00:00Z' } } }],
      containerStatuses: [
        { name: 'app', lastState: { terminated: { finishedAt: '2026-12-04T12:09:20Z' } } },
        { name: 'side', lastState: {} },
      ],
    },
  };
  const cases = [
    ['3 (15s ago)', pod, '3 (40s ago)'],
    ['3 (15s ago)', { status: { initContainerStatuses: pod.status.initContainerStatuses } }, '3 (10m ago)'],
    ['0', pod, '0'],
    ['3', pod, '3'],
    ['3 (15s ago)', { status: {} }, '3 (15s ago)'],
    ['3 (15s ago)', { status: { containerStatuses: [{ lastState: { terminated: { finishedAt: 'not a time' } } }] } }, '3 (15s ago)'],
    [undefined, pod, ''],
  ];
  for (const [cell, p, want] of cases) assert.equal(restartsNow(cell, p, now), want, `${cell}`);
});
