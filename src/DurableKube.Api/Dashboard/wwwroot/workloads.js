// Pure helpers of the controller pages, unit-tested by tests/js/dashboard (node --test): what kubectl and the
// controllers do, in the page's terms (no DOM, no calls).

/**
 * Whether an object is controlled by the object of a uid (an ownerReference with `controller: true`), as the
 * controllers themselves decide which pods and Jobs are theirs.
 * @param {any} object
 * @param {string} uid
 */
export function controlledBy(object, uid) {
  return !!uid && (object?.metadata?.ownerReferences ?? []).some((ref) => ref.controller === true && ref.uid === uid);
}

/**
 * The ordinal of a StatefulSet's pod (`web-12` is 12), or null for a name without one.
 * @param {string} name
 */
export function ordinalOf(name) {
  const match = /-(\d+)$/.exec(name ?? '');
  return match ? Number.parseInt(match[1], 10) : null;
}

/**
 * Compares two pod names in a StatefulSet's order: by ordinal (web-2 before web-10), names without one last, by name.
 * @param {string} a
 * @param {string} b
 */
export function byOrdinal(a, b) {
  const x = ordinalOf(a);
  const y = ordinalOf(b);
  if (x !== null && y !== null && x !== y) return x - y;
  if (x === null && y !== null) return 1;
  if (x !== null && y === null) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders a CronJob's Jobs newest first: by creation time, then by name (a scheduled Job's name grows with its time).
 * @param {any} a
 * @param {any} b
 */
export function newestFirst(a, b) {
  const t = (o) => Date.parse(o?.metadata?.creationTimestamp ?? '') || 0;
  const d = t(b) - t(a);
  if (d !== 0) return d;
  const x = b?.metadata?.name ?? '';
  const y = a?.metadata?.name ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The letters of generated names (apimachinery's util/rand: no vowels, no 0, 1 or 3, so no words and no look-alikes). */
export const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A random suffix of generated-name letters.
 * @param {number} [length]
 * @param {(n: number) => Uint8Array} [bytes] random bytes (the browser's crypto by default)
 */
export function randomSuffix(length = 5, bytes = (n) => crypto.getRandomValues(new Uint8Array(n))) {
  return [...bytes(length)].map((b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join('');
}

/**
 * The name kubectl users give a Job they run from a CronJob by hand (`kubectl create job --from=cronjob/x
 * x-manual-abc12`), cut so that it stays a label value (63 characters), as the Job's name becomes its pods' job-name label.
 * @param {string} cronJobName
 * @param {string} suffix
 */
export function manualJobName(cronJobName, suffix) {
  const tail = `-manual-${suffix}`;
  return `${cronJobName.slice(0, 63 - tail.length)}${tail}`;
}

/**
 * The Job `kubectl create job <name> --from=cronjob/<cronjob>` creates (kubectl's createJobFromCronJob): the
 * template's labels and spec, its annotations over `cronjob.kubernetes.io/instantiate: manual`, and the CronJob as
 * controller (without blockOwnerDeletion, as kubectl leaves it out).
 * @param {any} cronJob
 * @param {string} name
 */
export function jobFromCronJob(cronJob, name) {
  const template = cronJob?.spec?.jobTemplate ?? {};
  const metadata = {
    name,
    namespace: cronJob.metadata.namespace,
    annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', ...(template.metadata?.annotations ?? {}) },
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob.metadata.name, uid: cronJob.metadata.uid, controller: true }],
  };
  if (template.metadata?.labels && Object.keys(template.metadata.labels).length) metadata.labels = { ...template.metadata.labels };
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: structuredClone(template.spec ?? {}) };
}

/**
 * Who started a CronJob's Job: `manual` (kubectl create job --from, or the page's Run now) or `schedule`.
 * @param {any} job
 */
export function startedBy(job) {
  return job?.metadata?.annotations?.['cronjob.kubernetes.io/instantiate'] === 'manual' ? 'manual' : 'schedule';
}
