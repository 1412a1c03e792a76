// The workflow behind an object: /ui/api/workflow/{resource[.group]}/[{namespace}/]{name}.
import { get } from '../api.js';
import { h, table } from '../ui.js';

export function workflowPath(groupResource, namespace, name) {
  return `/ui/api/workflow/${groupResource}/${namespace ? `${encodeURIComponent(namespace)}/` : ''}${encodeURIComponent(name)}`;
}

export async function readWorkflow(groupResource, namespace, name, signal) {
  return get(workflowPath(groupResource, namespace, name), { signal });
}

/** The panel: instance id, runtime status, what the loop waits for and its next timer, recent history. */
export function workflowPanel(view) {
  const instance = view.instance;
  const status = instance?.customStatus;
  return h('section', { 'aria-labelledby': 'workflow-heading', className: 'workflow', 'data-testid': 'workflow-panel' },
    h('h2', { id: 'workflow-heading' }, 'Workflow'),
    h('dl', {},
      h('dt', {}, 'Instance'), h('dd', { 'data-testid': 'workflow-instance' }, h('code', {}, view.instanceId ?? '-')),
      h('dt', {}, 'Runtime status'), h('dd', { 'data-testid': 'workflow-status' }, instance ? `${instance.runtimeStatus} (${instance.name})` : (view.message ?? '-')),
      instance ? [h('dt', {}, 'Created'), h('dd', {}, new Date(instance.createdAt).toLocaleString()),
        h('dt', {}, 'Last updated'), h('dd', {}, new Date(instance.lastUpdatedAt).toLocaleString())] : null,
      status ? [h('dt', {}, 'Waiting for'), h('dd', { 'data-testid': 'workflow-waiting' }, status.waitingFor ?? '-'),
        h('dt', {}, 'Next timer'), h('dd', {}, status.nextTimer ? new Date(status.nextTimer).toLocaleString() : 'none'),
        h('dt', {}, 'Turn'), h('dd', {}, `${status.turn ?? '-'} of this execution`)] : null),
    instance?.history
      ? table('Recent history (current execution)', ['Time', 'Event', 'Name', 'Detail'],
        [...instance.history].reverse().map((e) => [new Date(e.timestamp).toLocaleTimeString(), e.type, e.name ?? '', e.detail ?? '']))
      : h('p', {}, instance ? 'This host\'s workflow backend gives no history.' : ''));
}
