// Overview: namespaces, nodes with capacity and allocatable and the pods placed on each, pods by phase.
import { get } from '../api.js';
import { age, countByPhase } from '../format.js';
import { h, table, objectLink } from '../ui.js';

export async function overview(main, signal) {
  const [namespaces, nodes, pods] = await Promise.all([
    get('/api/v1/namespaces', { signal }),
    get('/api/v1/nodes', { signal }),
    get('/api/v1/pods', { signal }),
  ]);
  const now = Date.now();
  const counts = countByPhase(pods.items ?? []);
  const byNode = new Map();
  for (const pod of pods.items ?? []) {
    const node = pod.spec?.nodeName ?? '';
    if (!byNode.has(node)) byNode.set(node, []);
    byNode.get(node).push(pod);
  }
  const resources = (r) => ['cpu', 'memory', 'pods'].map((k) => `${k}: ${r?.[k] ?? '-'}`).join(', ');
  main.replaceChildren(
    h('h1', {}, 'Overview'),
    h('section', { 'aria-labelledby': 'phases' },
      h('h2', { id: 'phases' }, 'Pods by phase'),
      h('ul', { className: 'counts', 'data-testid': 'phase-counts' },
        Object.entries(counts).map(([phase, n]) => h('li', { className: `phase-${phase}` }, h('span', { className: 'count' }, n), ' ', phase)))),
    h('section', { 'aria-labelledby': 'nodes' },
      h('h2', { id: 'nodes' }, 'Nodes'),
      ...(nodes.items ?? []).map((node) => {
        const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
        const placed = byNode.get(node.metadata.name) ?? [];
        return h('article', { className: 'card' },
          h('h3', {}, node.metadata.name, ' ', h('span', { className: ready ? 'badge ok' : 'badge bad' }, ready ? 'Ready' : 'NotReady')),
          h('p', {}, `Capacity: ${resources(node.status?.capacity)}`),
          h('p', {}, `Allocatable: ${resources(node.status?.allocatable)}`),
          h('details', {}, h('summary', {}, `${placed.length} pods placed`),
            h('ul', {}, placed.slice(0, 200).map((p) => h('li', {}, objectLink('Pod', p.metadata.namespace, p.metadata.name), ` (${p.metadata.namespace}, ${p.status?.phase ?? 'Pending'})`)))));
      }),
      byNode.get('')?.length ? h('p', {}, `${byNode.get('').length} pods not scheduled yet`) : null),
    h('section', { 'aria-labelledby': 'namespaces' },
      h('h2', { id: 'namespaces' }, 'Namespaces'),
      table('Namespaces', ['Name', 'Status', 'Pods', 'Age'], (namespaces.items ?? []).map((ns) => [
        h('a', { href: `#/pods?namespace=${encodeURIComponent(ns.metadata.name)}` }, ns.metadata.name),
        ns.status?.phase ?? '',
        String((pods.items ?? []).filter((p) => p.metadata.namespace === ns.metadata.name).length),
        age(ns.metadata.creationTimestamp, now),
      ]))));
}
