// Controllers: ReplicaSets, Deployments (rollout history from their ReplicaSets), Jobs, StatefulSets, CronJobs;
// desired / current / ready, their pods, and the actions kubectl takes (scale, rollout restart).
import { get, call, collectionPath, LiveCollection } from '../api.js';
import { age, selectorString } from '../format.js';
import { h, table, confirmAction, explain, notify } from '../ui.js';
import { readWorkflow, workflowPanel } from './workflow.js';

export const KINDS = [
  { plural: 'deployments', kind: 'Deployment', group: 'apps', scale: true, restart: true },
  { plural: 'replicasets', kind: 'ReplicaSet', group: 'apps', scale: true },
  { plural: 'statefulsets', kind: 'StatefulSet', group: 'apps', scale: true, restart: true },
  { plural: 'jobs', kind: 'Job', group: 'batch' },
  { plural: 'cronjobs', kind: 'CronJob', group: 'batch' },
];

function counts(kind, o) {
  const s = o.status ?? {};
  switch (kind.kind) {
    case 'Job': return { desired: o.spec?.completions ?? 1, current: s.active ?? 0, ready: s.succeeded ?? 0, labels: ['Completions', 'Active', 'Succeeded'] };
    case 'CronJob': return { desired: o.spec?.schedule ?? '', current: (s.active ?? []).length, ready: s.lastScheduleTime ? age(s.lastScheduleTime, Date.now()) + ' ago' : '-', labels: ['Schedule', 'Active', 'Last schedule'] };
    default: return { desired: o.spec?.replicas ?? 1, current: s.replicas ?? 0, ready: s.readyReplicas ?? 0, labels: ['Desired', 'Current', 'Ready'] };
  }
}

const objectPath = (kind, ns, name) => `${collectionPath(kind.group, 'v1', kind.plural, ns)}/${encodeURIComponent(name)}`;

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

function actionsOf(kind, o) {
  const ns = o.metadata.namespace;
  const name = o.metadata.name;
  return h('span', { className: 'row-actions' },
    kind.scale ? h('button', { type: 'button', className: 'small', 'aria-label': `Scale ${kind.kind} ${name}`, onclick: () => scale(kind, ns, name, o.spec?.replicas ?? 1) }, 'Scale') : null,
    kind.restart ? h('button', { type: 'button', className: 'small', 'aria-label': `Restart ${kind.kind} ${name}`, onclick: () => restart(kind, ns, name) }, 'Restart') : null);
}

export async function controllers(main, signal, params) {
  const namespace = params.get('namespace') ?? '';
  main.replaceChildren(h('h1', {}, 'Controllers'));
  const sections = KINDS.map((kind) => {
    const section = h('section', { 'aria-labelledby': `h-${kind.plural}` }, h('h2', { id: `h-${kind.plural}` }, `${kind.kind}s`), h('p', {}, 'Loading…'));
    main.append(section);
    const live = new LiveCollection(collectionPath(kind.group, 'v1', kind.plural, namespace), {
      onChange: (c) => {
        const now = Date.now();
        const items = [...c.items.values()].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
        const labels = counts(kind, {}).labels;
        section.replaceChildren(h('h2', { id: `h-${kind.plural}` }, `${kind.kind}s`), table(`${kind.kind}s`, ['Name', 'Namespace', ...labels, 'Age', 'Actions'], items.map((o) => {
          const n = counts(kind, o);
          return [h('a', { href: `#/controllers/${kind.plural}/${encodeURIComponent(o.metadata.namespace)}/${encodeURIComponent(o.metadata.name)}` }, o.metadata.name),
            o.metadata.namespace, String(n.desired), String(n.current), String(n.ready), age(o.metadata.creationTimestamp, now), actionsOf(kind, o)];
        }), { 'data-testid': `table-${kind.plural}` }));
      },
      onError: (e) => explain(e, `Watching ${kind.plural}`),
    }).start();
    return live;
  });
  signal.addEventListener('abort', () => sections.forEach((s) => s.stop()));
}

export async function controllerPage(main, signal, plural, ns, name) {
  const kind = KINDS.find((k) => k.plural === plural);
  if (!kind) { main.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, `No controller kind ${plural}`)); return; }
  const heading = h('h1', {}, `${kind.kind} ${name}`);
  const facts = h('div');
  const podsSection = h('section', { 'aria-labelledby': 'pods-heading' });
  const history = h('div');
  const workflow = h('div');
  main.replaceChildren(heading, h('p', {}, `Namespace ${ns}`), facts, history, podsSection, workflow);
  let podsLive;
  const live = new LiveCollection(collectionPath(kind.group, 'v1', plural, ns), {
    query: `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
    onChange: async (c) => {
      const o = [...c.items.values()][0];
      if (!o) { facts.replaceChildren(h('p', {}, `This ${kind.kind} no longer exists.`)); return; }
      const n = counts(kind, o);
      facts.replaceChildren(
        h('dl', { className: 'facts', 'data-testid': 'controller-counts' },
          h('dt', {}, n.labels[0]), h('dd', { 'data-testid': 'desired' }, String(n.desired)),
          h('dt', {}, n.labels[1]), h('dd', { 'data-testid': 'current' }, String(n.current)),
          h('dt', {}, n.labels[2]), h('dd', { 'data-testid': 'ready' }, String(n.ready)),
          h('dt', {}, 'Selector'), h('dd', {}, selectorString(o.spec?.selector) || '-')),
        h('p', { className: 'actions' }, actionsOf(kind, o)));
      const selector = selectorString(o.spec?.selector ?? o.spec?.jobTemplate?.spec?.selector);
      if (!podsLive && kind.kind !== 'CronJob' && selector) {
        podsLive = new LiveCollection(collectionPath('', 'v1', 'pods', ns), {
          table: true,
          query: `labelSelector=${encodeURIComponent(selector)}`,
          onChange: (p) => {
            const rows = [...p.items.values()].filter((r) => (r.object.metadata.ownerReferences ?? []).some((ref) => ref.controller && (ref.uid === o.metadata.uid || kind.kind === 'Deployment')));
            podsSection.replaceChildren(h('h2', { id: 'pods-heading' }, 'Pods'), table('Pods of this controller', ['Name', 'Ready', 'Status', 'Restarts', 'Age'], rows.map((r) => [
              h('a', { href: `#/pods/${encodeURIComponent(ns)}/${encodeURIComponent(r.object.metadata.name)}` }, r.object.metadata.name),
              String(p.cell(r, 'Ready') ?? ''), String(p.cell(r, 'Status') ?? ''), String(p.cell(r, 'Restarts') ?? ''), age(r.object.metadata.creationTimestamp, Date.now())]), { 'data-testid': 'controller-pods' }));
          },
          onError: (e) => explain(e, 'Watching the pods'),
        }).start();
      }
      if (kind.kind === 'Deployment') {
        const sets = await get(`${collectionPath('apps', 'v1', 'replicasets', ns)}`, { signal });
        const owned = (sets.items ?? []).filter((rs) => (rs.metadata.ownerReferences ?? []).some((r) => r.uid === o.metadata.uid))
          .sort((a, b) => Number(b.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) - Number(a.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0));
        history.replaceChildren(h('h2', {}, 'Rollout history'), table('Revisions (ReplicaSets)', ['Revision', 'ReplicaSet', 'Desired', 'Ready', 'Change cause', 'Age'], owned.map((rs) => [
          rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '', h('a', { href: `#/controllers/replicasets/${encodeURIComponent(ns)}/${encodeURIComponent(rs.metadata.name)}` }, rs.metadata.name),
          String(rs.spec?.replicas ?? 0), String(rs.status?.readyReplicas ?? 0), rs.metadata.annotations?.['kubernetes.io/change-cause'] ?? '', age(rs.metadata.creationTimestamp, Date.now())]), { 'data-testid': 'rollout-history' }));
      }
      try {
        workflow.replaceChildren(workflowPanel(await readWorkflow(`${plural}.${kind.group}`, ns, name, signal)));
      } catch (e) {
        if (!signal.aborted) explain(e, 'Reading the workflow');
      }
    },
    onError: (e) => explain(e, `Watching ${kind.kind} ${name}`),
  }).start();
  signal.addEventListener('abort', () => { live.stop(); podsLive?.stop(); });
}
