// Controllers: ReplicaSets, Deployments (rollout history from their ReplicaSets), StatefulSets (pods in ordinal
// order), Jobs (counts, conditions, pods), CronJobs (their Jobs); what kubectl prints of them, their pods, and the
// actions kubectl takes (scale, rollout restart, suspend / resume, create job --from=cronjob).
import { get, call, collectionPath, LiveCollection } from '../api.js';
import { age, selectorString } from '../format.js';
import { coalesce } from '../tasks.js';
import { h, table, confirmAction, explain, notify, statusText } from '../ui.js';
import { byOrdinal, controlledBy, jobFromCronJob, manualJobName, newestFirst, randomSuffix, startedBy } from '../workloads.js';
import { listFilters } from './filters.js';
import { followWorkflow } from './workflow.js';

export const KINDS = [
  { plural: 'deployments', kind: 'Deployment', group: 'apps', scale: true, restart: true },
  { plural: 'replicasets', kind: 'ReplicaSet', group: 'apps', scale: true },
  { plural: 'statefulsets', kind: 'StatefulSet', group: 'apps', scale: true, restart: true },
  { plural: 'jobs', kind: 'Job', group: 'batch' },
  { plural: 'cronjobs', kind: 'CronJob', group: 'batch', cron: true },
];

const JOBS = KINDS.find((k) => k.kind === 'Job');
const CRONJOBS = KINDS.find((k) => k.kind === 'CronJob');

const text = (v) => (v === undefined || v === null || v === '' ? '-' : String(v));
const ago = (t, now) => (t ? `${age(t, now)} ago (${new Date(t).toLocaleString()})` : '<none>');

/**
 * The columns of a kind in the list: kubectl's for Jobs (STATUS, COMPLETIONS, DURATION) and CronJobs (SCHEDULE,
 * TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE); desired / current / ready for the others.
 */
function listColumns(kind) {
  switch (kind.kind) {
    case 'Job': return ['Status', 'Completions', 'Duration'];
    case 'CronJob': return ['Schedule', 'Timezone', 'Suspend', 'Active', 'Last schedule'];
    default: return ['Desired', 'Current', 'Ready'];
  }
}

/** A row's cells under listColumns: the server's Table cells where kubectl prints them, times computed here so they are current. */
function listCells(kind, c, row, now) {
  const o = row.object;
  const cell = (name) => text(c.cell(row, name));
  switch (kind.kind) {
    case 'Job': return [cell('Status'), cell('Completions'), cell('Duration')];
    case 'CronJob': return [cell('Schedule'), cell('Timezone'), cell('Suspend'), cell('Active'), o.status?.lastScheduleTime ? age(o.status.lastScheduleTime, now) : '<none>'];
    default: return [String(o.spec?.replicas ?? 1), String(o.status?.replicas ?? 0), String(o.status?.readyReplicas ?? 0)];
  }
}

/** What a controller's page says of it: [label, value, data-testid]. */
function factsOf(kind, o, cell, now) {
  const s = o.status ?? {};
  switch (kind.kind) {
    case 'Job': return [
      ['Status', text(cell('Status')), 'job-status'],
      ['Completions', text(cell('Completions')), 'completions'],
      ['Parallelism', text(o.spec?.parallelism ?? 1), 'parallelism'],
      ['Active', String(s.active ?? 0), 'active'],
      ['Succeeded', String(s.succeeded ?? 0), 'succeeded'],
      ['Failed', String(s.failed ?? 0), 'failed'],
      ['Backoff limit', text(o.spec?.backoffLimit ?? 6), 'backoff-limit'],
      ['Started', ago(s.startTime, now), 'started'],
      ['Completed', ago(s.completionTime, now), 'completed'],
      ['Selector', selectorString(o.spec?.selector) || '-', 'selector'],
    ];
    case 'CronJob': return [
      ['Schedule', text(o.spec?.schedule), 'schedule'],
      // Without a time zone this server's CronJob controller reads the schedule in UTC.
      ['Time zone', o.spec?.timeZone ?? '<none> (UTC)', 'time-zone'],
      ['Suspend', o.spec?.suspend === true ? 'True' : 'False', 'suspend'],
      ['Concurrency policy', o.spec?.concurrencyPolicy ?? 'Allow', 'concurrency-policy'],
      ['Active', String((s.active ?? []).length), 'active'],
      ['Last schedule', ago(s.lastScheduleTime, now), 'last-schedule'],
      ['Last successful', ago(s.lastSuccessfulTime, now), 'last-successful'],
    ];
    default: return [
      ['Desired', String(o.spec?.replicas ?? 1), 'desired'],
      ['Current', String(s.replicas ?? 0), 'current'],
      ['Ready', String(s.readyReplicas ?? 0), 'ready'],
      ['Selector', selectorString(o.spec?.selector) || '-', 'selector'],
    ];
  }
}

const objectPath = (kind, ns, name) => `${collectionPath(kind.group, 'v1', kind.plural, ns)}/${encodeURIComponent(name)}`;
const pageOf = (kind, ns, name) => `#/controllers/${kind.plural}/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;

export async function scale(kind, ns, name, current) {
  const value = await confirmAction(`Scale ${kind.kind}`, `Set the replicas of ${kind.kind} ${name} in ${ns}.`, { confirm: 'Scale', input: { label: 'Replicas', value: String(current), type: 'number', min: 0 } });
  if (value === null) return;
  const replicas = Number.parseInt(String(value), 10);
  if (!Number.isInteger(replicas) || replicas < 0) { notify('Replicas must be a whole number of 0 or more', true); return; }
  try {
    // kubectl scale: a merge patch of the scale subresource.
    await call('PATCH', `${objectPath(kind, ns, name)}/scale`, { body: { spec: { replicas } }, contentType: 'application/merge-patch+json' });
    notify(`${kind.kind} ${name} scaled to ${replicas}`);
  } catch (e) {
    explain(e, `Scaling ${kind.kind} ${name}`);
  }
}

export async function restart(kind, ns, name) {
  const ok = await confirmAction(`Restart ${kind.kind}`, `Restart the rollout of ${kind.kind} ${name} in ${ns}? Its pods are replaced.`, { confirm: 'Restart' });
  if (!ok) return;
  try {
    // kubectl rollout restart: the restartedAt annotation on the pod template, as a strategic merge patch.
    const body = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } } } };
    await call('PATCH', objectPath(kind, ns, name), { body, contentType: 'application/strategic-merge-patch+json' });
    notify(`${kind.kind} ${name} restarted`);
  } catch (e) {
    explain(e, `Restarting ${kind.kind} ${name}`);
  }
}

/** kubectl patch cronjob NAME -p '{"spec":{"suspend":true}}': a merge patch of spec.suspend. */
export async function setSuspend(ns, name, suspend) {
  const verb = suspend ? 'Suspend' : 'Resume';
  const ok = await confirmAction(`${verb} CronJob`, suspend
    ? `Suspend CronJob ${name} in ${ns}? It starts no Jobs on its schedule until resumed; Jobs already running go on.`
    : `Resume CronJob ${name} in ${ns}? It starts Jobs on its schedule again.`, { confirm: verb });
  if (!ok) return;
  try {
    await call('PATCH', objectPath(CRONJOBS, ns, name), { body: { spec: { suspend } }, contentType: 'application/merge-patch+json' });
    notify(`CronJob ${name} ${suspend ? 'suspended' : 'resumed'}`);
  } catch (e) {
    explain(e, `${suspend ? 'Suspending' : 'Resuming'} CronJob ${name}`);
  }
}

/** kubectl create job NAME --from=cronjob/CRONJOB: a Job from the CronJob's template as it is now, owned by it. */
export async function runNow(ns, name) {
  const value = await confirmAction('Run CronJob now', `Create a Job from the template of CronJob ${name} in ${ns} now, as kubectl create job --from=cronjob/${name} does.`,
    { confirm: 'Run', input: { label: 'Job name', value: manualJobName(name, randomSuffix()) } });
  if (value === null) return;
  const jobName = String(value).trim();
  try {
    const cronJob = await get(objectPath(CRONJOBS, ns, name));
    const job = await call('POST', collectionPath(JOBS.group, 'v1', JOBS.plural, ns), { body: jobFromCronJob(cronJob, jobName) });
    notify(`Job ${job?.metadata?.name ?? jobName} created from CronJob ${name}`);
  } catch (e) {
    explain(e, `Running CronJob ${name}`);
  }
}

function actionsOf(kind, o) {
  const ns = o.metadata.namespace;
  const name = o.metadata.name;
  const suspended = o.spec?.suspend === true;
  return h('span', { className: 'row-actions' },
    kind.scale ? h('button', { type: 'button', className: 'small', 'aria-label': `Scale ${kind.kind} ${name}`, onclick: () => scale(kind, ns, name, o.spec?.replicas ?? 1) }, 'Scale') : null,
    kind.restart ? h('button', { type: 'button', className: 'small', 'aria-label': `Restart ${kind.kind} ${name}`, onclick: () => restart(kind, ns, name) }, 'Restart') : null,
    kind.cron ? h('button', { type: 'button', className: 'small', 'aria-label': `${suspended ? 'Resume' : 'Suspend'} CronJob ${name}`, onclick: () => setSuspend(ns, name, !suspended) }, suspended ? 'Resume' : 'Suspend') : null,
    // Its visible text is part of its accessible name (WCAG 2.5.3, axe's label-content-name-mismatch): "Run", not "Run now".
    kind.cron ? h('button', { type: 'button', className: 'small', 'aria-label': `Run CronJob ${name} now`, onclick: () => runNow(ns, name) }, 'Run') : null);
}

export async function controllers(main, signal, params) {
  // The pods list's filters: a namespace and a label selector, sent to each kind's list and watch.
  const filters = await listFilters('controllers', params, signal);
  main.replaceChildren(h('h1', {}, 'Controllers'), filters.form);
  const sections = KINDS.map((kind) => {
    const heading = () => h('h2', { id: `h-${kind.plural}` }, `${kind.kind}s`);
    const section = h('section', { 'aria-labelledby': `h-${kind.plural}` }, heading(), h('p', {}, 'Loading…'));
    main.append(section);
    // Tables: the cells kubectl prints (a Job's COMPLETIONS, a CronJob's SUSPEND) come from the server's printer.
    const live = new LiveCollection(collectionPath(kind.group, 'v1', kind.plural, filters.namespace), {
      table: true,
      query: filters.query,
      onChange: (c) => {
        const now = Date.now();
        const rows = [...c.items.values()].filter((r) => r.object?.metadata)
          .sort((a, b) => `${a.object.metadata.namespace}/${a.object.metadata.name}`.localeCompare(`${b.object.metadata.namespace}/${b.object.metadata.name}`));
        section.replaceChildren(heading(), table(filters.describe(rows.length, `${kind.kind}s`), ['Name', 'Namespace', ...listColumns(kind), 'Age', 'Actions'], rows.map((r) => {
          const o = r.object;
          return {
            attributes: { 'data-testid': 'controller-row', 'data-namespace': o.metadata.namespace, 'data-name': o.metadata.name },
            cells: [h('a', { href: pageOf(kind, o.metadata.namespace, o.metadata.name) }, o.metadata.name),
              o.metadata.namespace, ...listCells(kind, c, r, now), age(o.metadata.creationTimestamp, now), actionsOf(kind, o)],
          };
        }), { 'data-testid': `table-${kind.plural}` }));
      },
      // In the section, as the pods list does: an invalid selector's 400 is shown once, not retried.
      onError: (e, { retrying }) => section.replaceChildren(heading(),
        h('p', { className: 'error', 'data-testid': `error-${kind.plural}` }, `Cannot list ${kind.kind}s: ${statusText(e)}${retrying ? ' (trying again)' : ''}`)),
    }).start();
    return live;
  });
  signal.addEventListener('abort', () => sections.forEach((s) => s.stop()));
}

/** The pods a controller controls, live, as kubectl get pods prints them (a StatefulSet's in ordinal order). */
function watchPods(kind, ns, selector, owner, section) {
  return new LiveCollection(collectionPath('', 'v1', 'pods', ns), {
    table: true,
    query: `labelSelector=${encodeURIComponent(selector)}`,
    onChange: (p) => {
      // A Deployment's pods are its ReplicaSets': any controller among the selected pods will do.
      const mine = (r) => (kind.kind === 'Deployment'
        ? (r.object.metadata.ownerReferences ?? []).some((ref) => ref.controller === true)
        : controlledBy(r.object, owner()));
      const order = kind.kind === 'StatefulSet' ? byOrdinal : (a, b) => (a < b ? -1 : a > b ? 1 : 0);
      const rows = [...p.items.values()].filter(mine).sort((a, b) => order(a.object.metadata.name, b.object.metadata.name));
      const now = Date.now();
      section.replaceChildren(h('h2', { id: 'pods-heading' }, 'Pods'), table('Pods of this controller', ['Name', 'Ready', 'Status', 'Restarts', 'Age'], rows.map((r) => ({
        attributes: { 'data-testid': 'controller-pod', 'data-name': r.object.metadata.name, 'data-uid': r.object.metadata.uid },
        cells: [h('a', { href: `#/pods/${encodeURIComponent(ns)}/${encodeURIComponent(r.object.metadata.name)}` }, r.object.metadata.name),
          String(p.cell(r, 'Ready') ?? ''), String(p.cell(r, 'Status') ?? ''), String(p.cell(r, 'Restarts') ?? ''), age(r.object.metadata.creationTimestamp, now)],
      })), { 'data-testid': 'controller-pods' }));
    },
    onError: (e) => explain(e, 'Watching the pods'),
  }).start();
}

/** A CronJob's Jobs (those it controls), live and newest first, with kubectl's STATUS, COMPLETIONS and DURATION. */
function watchJobs(ns, owner, section) {
  return new LiveCollection(collectionPath(JOBS.group, 'v1', JOBS.plural, ns), {
    table: true,
    onChange: (c) => {
      const rows = [...c.items.values()].filter((r) => controlledBy(r.object, owner())).sort((a, b) => newestFirst(a.object, b.object));
      const now = Date.now();
      section.replaceChildren(h('h2', { id: 'jobs-heading' }, 'Jobs'), table('Jobs of this CronJob, newest first', ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Started by'], rows.map((r) => ({
        attributes: { 'data-testid': 'cronjob-job', 'data-name': r.object.metadata.name },
        cells: [h('a', { href: pageOf(JOBS, ns, r.object.metadata.name) }, r.object.metadata.name),
          text(c.cell(r, 'Status')), text(c.cell(r, 'Completions')), text(c.cell(r, 'Duration')), age(r.object.metadata.creationTimestamp, now), startedBy(r.object)],
      })), { 'data-testid': 'cronjob-jobs' }));
    },
    onError: (e) => explain(e, 'Watching the Jobs'),
  }).start();
}

/** A Job's conditions: Complete or Failed (with the reason, e.g. BackoffLimitExceeded, and message), and those before them. */
function conditionsTable(job, now) {
  return table('Conditions of this Job', ['Type', 'Status', 'Reason', 'Message', 'Last transition'], (job.status?.conditions ?? []).map((x) => ({
    attributes: { 'data-testid': 'job-condition', 'data-type': x.type },
    cells: [x.type, x.status, x.reason ?? '', x.message ?? '', x.lastTransitionTime ? `${age(x.lastTransitionTime, now)} ago` : ''],
  })), { 'data-testid': 'job-conditions' });
}

export async function controllerPage(main, signal, plural, ns, name) {
  const kind = KINDS.find((k) => k.plural === plural);
  if (!kind) { main.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, `No controller kind ${plural}`)); return; }
  const heading = h('h1', {}, `${kind.kind} ${name}`);
  const facts = h('div');
  // Each section has its heading from the start (its aria-labelledby names it), and only the kind's own are shown.
  const section = (id, title) => h('section', { 'aria-labelledby': id }, h('h2', { id }, title), h('p', {}, 'Loading…'));
  const conditions = section('conditions-heading', 'Conditions');
  const podsSection = section('pods-heading', 'Pods');
  const jobsSection = section('jobs-heading', 'Jobs');
  const history = h('div');
  const workflow = h('div');
  main.replaceChildren(...[heading, h('p', {}, `Namespace ${ns}`), facts, kind.kind === 'Job' ? conditions : null, history, kind.cron ? jobsSection : podsSection, workflow].filter(Boolean));
  let podsLive;
  let jobsLive;
  let refreshWorkflow;
  let uid = '';
  let latest;
  // The rollout history, read again at each change of the object: one read at a time, the last asked for reading the
  // object as it is by then, so an older answer never replaces a newer one.
  const refresh = coalesce(async () => {
    const o = latest;
    if (kind.kind === 'Deployment') {
      try {
        const sets = await get(collectionPath('apps', 'v1', 'replicasets', ns), { signal });
        history.replaceChildren(h('h2', {}, 'Rollout history'), historyTable(ns, o, sets.items ?? []));
      } catch (e) {
        if (signal.aborted) return;
        history.replaceChildren(h('h2', {}, 'Rollout history'),
          h('p', { className: 'error', role: 'alert', 'data-testid': 'rollout-history-error' }, `Cannot read the ReplicaSets: ${statusText(e)}`));
      }
    }
  }, (e) => { if (!signal.aborted) explain(e, `Showing ${kind.kind} ${name}`); });
  // The object as a Table row: kubectl's cells (a Job's STATUS and COMPLETIONS) with the object itself.
  const live = new LiveCollection(collectionPath(kind.group, 'v1', plural, ns), {
    table: true,
    query: `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
    onChange: (c) => {
      const row = [...c.items.values()][0];
      const o = row?.object;
      if (!o) { facts.replaceChildren(h('p', { 'data-testid': 'controller-gone' }, `This ${kind.kind} no longer exists.`)); return; }
      uid = o.metadata.uid;
      const now = Date.now();
      facts.replaceChildren(
        h('dl', { className: 'facts', 'data-testid': 'controller-counts' },
          factsOf(kind, o, (column) => c.cell(row, column), now).flatMap(([label, value, id]) => [h('dt', {}, label), h('dd', { 'data-testid': id }, value)])),
        h('p', { className: 'actions' }, actionsOf(kind, o)));
      if (kind.kind === 'Job') {
        conditions.replaceChildren(h('h2', { id: 'conditions-heading' }, 'Conditions'), conditionsTable(o, now));
      }
      const selector = selectorString(o.spec?.selector);
      if (!podsLive && !kind.cron && selector) podsLive = watchPods(kind, ns, selector, () => uid, podsSection);
      if (!jobsLive && kind.cron) jobsLive = watchJobs(ns, () => uid, jobsSection);
      // Read at once on a change, and every few seconds: what the loop waits for and its next timer change without the object.
      if (refreshWorkflow) refreshWorkflow(); else refreshWorkflow = followWorkflow(workflow, `${plural}.${kind.group}`, ns, name, signal);
      latest = o;
      if (kind.kind === 'Deployment') refresh();
    },
    onError: (e) => explain(e, `Watching ${kind.kind} ${name}`),
  }).start();
  signal.addEventListener('abort', () => { live.stop(); podsLive?.stop(); jobsLive?.stop(); });
}

/** A Deployment's rollout history: the ReplicaSets it owns, newest revision first. */
function historyTable(ns, deployment, sets) {
  const revision = (rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  const owned = sets.filter((rs) => (rs.metadata.ownerReferences ?? []).some((r) => r.uid === deployment.metadata.uid))
    .sort((a, b) => revision(b) - revision(a));
  return table('Revisions (ReplicaSets)', ['Revision', 'ReplicaSet', 'Desired', 'Ready', 'Change cause', 'Age'], owned.map((rs) => [
    rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '', h('a', { href: `#/controllers/replicasets/${encodeURIComponent(ns)}/${encodeURIComponent(rs.metadata.name)}` }, rs.metadata.name),
    String(rs.spec?.replicas ?? 0), String(rs.status?.readyReplicas ?? 0), rs.metadata.annotations?.['kubernetes.io/change-cause'] ?? '', age(rs.metadata.creationTimestamp, Date.now())]), { 'data-testid': 'rollout-history' });
}
