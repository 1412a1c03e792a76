// Unit tests of the controller pages' pure helpers: node --test tests/js/dashboard (run by DashboardScriptTests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  controlledBy, ordinalOf, byOrdinal, newestFirst, randomSuffix, SUFFIX_ALPHABET, manualJobName, jobFromCronJob, startedBy,
} from '../../../src/DurableKube.Api/Dashboard/wwwroot/workloads.js';

test('a StatefulSet\'s pods sort by ordinal, not by name or by when they were seen', () => {
  assert.equal(ordinalOf('web-12'), 12);
  assert.equal(ordinalOf('web'), null);
  assert.deepEqual(['web-10', 'web-1', 'web-2', 'web-0', 'other'].sort(byOrdinal), ['web-0', 'web-1', 'web-2', 'web-10', 'other']);
  assert.deepEqual(['b', 'a'].sort(byOrdinal), ['a', 'b']);
});

test('only an ownerReference with controller true makes an object someone\'s', () => {
  const pod = (refs) => ({ metadata: { ownerReferences: refs } });
  assert.equal(controlledBy(pod([{ uid: 'u1', controller: true }]), 'u1'), true);
  assert.equal(controlledBy(pod([{ uid: 'u1' }]), 'u1'), false);
  assert.equal(controlledBy(pod([{ uid: 'u2', controller: true }]), 'u1'), false);
  assert.equal(controlledBy(pod(undefined), 'u1'), false);
  assert.equal(controlledBy(pod([{ uid: undefined, controller: true }]), undefined), false);
});

test('a CronJob\'s Jobs list newest first', () => {
  const job = (name, t) => ({ metadata: { name, creationTimestamp: t } });
  const jobs = [job('a-1', '2026-12-03T10:00:00Z'), job('a-3', '2026-12-03T12:00:00Z'), job('a-2', '2026-12-03T11:00:00Z'), job('a-4', '2026-12-03T12:00:00Z')];
  assert.deepEqual(jobs.sort(newestFirst).map((j) => j.metadata.name), ['a-4', 'a-3', 'a-2', 'a-1']);
});

test('a manual run is named <cronjob>-manual-<suffix>, within a label value\'s 63 characters', () => {
  const suffix = randomSuffix(5, (n) => Uint8Array.from({ length: n }, (_, i) => i * 7));
  assert.equal(suffix.length, 5);
  assert.ok([...suffix].every((c) => SUFFIX_ALPHABET.includes(c)));
  assert.match(randomSuffix(), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(manualJobName('nightly', 'x2b4k'), 'nightly-manual-x2b4k');
  const long = manualJobName('c'.repeat(52), 'x2b4k');
  assert.equal(long.length, 63);
  assert.ok(long.endsWith('-manual-x2b4k'));
});

test('Run now makes the Job kubectl create job --from=cronjob/x makes', () => {
  const cronJob = {
    metadata: { name: 'nightly', namespace: 'ns', uid: 'cj-uid', labels: { cronjob: 'own' } },
    spec: {
      schedule: '0 0 1 1 *',
      jobTemplate: {
        metadata: { labels: { team: 'dash' }, annotations: { note: 'kept', 'cronjob.kubernetes.io/instantiate': 'template' } },
        spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'x', image: 'busybox', command: ['true'] }] } } },
      },
    },
  };
  const job = jobFromCronJob(cronJob, 'nightly-manual-abc');
  assert.deepEqual(job, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'nightly-manual-abc',
      namespace: 'ns',
      // The template's annotations are copied over kubectl's, as kubectl does.
      annotations: { 'cronjob.kubernetes.io/instantiate': 'template', note: 'kept' },
      labels: { team: 'dash' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-uid', controller: true }],
    },
    spec: cronJob.spec.jobTemplate.spec,
  });
  assert.notEqual(job.spec, cronJob.spec.jobTemplate.spec, 'a copy, not the CronJob\'s own template');
  const bare = jobFromCronJob({ metadata: { name: 'b', namespace: 'ns', uid: 'u' }, spec: { jobTemplate: { spec: {} } } }, 'b-manual-xyz');
  assert.deepEqual(bare.metadata.annotations, { 'cronjob.kubernetes.io/instantiate': 'manual' });
  assert.equal('labels' in bare.metadata, false);
  assert.equal(startedBy(bare), 'manual');
  assert.equal(startedBy({ metadata: { annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': 'x' } } }), 'schedule');
});
