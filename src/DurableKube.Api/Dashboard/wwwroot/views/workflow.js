// The workflow behind an object: /ui/api/workflow/{resource[.group]}/[{namespace}/]{name}.
import { get } from '../api.js';
import { coalesce } from '../tasks.js';
import { h, table, explain } from '../ui.js';

/** How often a page open on an object reads its workflow again (what the loop waits for changes without the object changing). */
export const WORKFLOW_REFRESH_MS = 3000;

export function workflowPath(groupResource, namespace, name) {
  return `/ui/api/workflow/${groupResource}/${namespace ? `${encodeURIComponent(namespace)}/` : ''}${encodeURIComponent(name)}`;
}

export async function readWorkflow(groupResource, namespace, name, signal) {
  return get(workflowPath(groupResource, namespace, name), { signal });
}

/** A time as a <time> element: the instant in its datetime attribute, the local time as its text. */
const timeOf = (iso, text) => h('time', { datetime: iso }, text(new Date(iso)));

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
        h('dt', {}, 'Next timer'), h('dd', { 'data-testid': 'workflow-next-timer' }, status.nextTimer ? timeOf(status.nextTimer, (d) => d.toLocaleString()) : 'none'),
        h('dt', {}, 'Turn'), h('dd', {}, `${status.turn ?? '-'} of this execution`)] : null,
      view.observedAt ? [h('dt', {}, 'Read at'), h('dd', { 'data-testid': 'workflow-read-at' }, timeOf(view.observedAt, (d) => d.toLocaleTimeString()))] : null),
    instance?.history
      ? table('Recent history (current execution)', ['Time', 'Event', 'Name', 'Detail'],
        [...instance.history].reverse().map((e) => [new Date(e.timestamp).toLocaleTimeString(), e.type, e.name ?? '', e.detail ?? '']), { 'data-testid': 'workflow-history' })
      : h('p', {}, instance ? 'This host\'s workflow backend gives no history.' : ''));
}

/**
 * The panel's refresh: tasks.js's `coalesce` (never two reads at once; calls meanwhile make one more read, so the last
 * answer shown is never older than one already shown), with a failure reported once until a refresh succeeds again, so
 * that a panel read every few seconds does not repeat its message.
 * @param {() => Promise<any>} read
 * @param {(value: any) => void} render
 * @param {(error: any) => void} report
 * @returns {() => Promise<void>} the refresh: it resolves once the reads it joined are rendered
 */
export function serialRefresh(read, render, report) {
  let failing = false;
  return coalesce(async () => {
    render(await read());
    failing = false;
  }, (e) => {
    if (!failing) report(e);
    failing = true;
  });
}

/**
 * Shows an object's workflow panel in `container`: read now and every WORKFLOW_REFRESH_MS until `signal` aborts
 * (leaving the page). Returns the refresh, for a change of the object to read it at once.
 */
export function followWorkflow(container, groupResource, namespace, name, signal) {
  const refresh = serialRefresh(
    () => readWorkflow(groupResource, namespace, name, signal),
    (view) => container.replaceChildren(workflowPanel(view)),
    (e) => { if (!signal.aborted) explain(e, 'Reading the workflow'); });
  const timer = setInterval(refresh, WORKFLOW_REFRESH_MS);
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  refresh();
  return refresh;
}
