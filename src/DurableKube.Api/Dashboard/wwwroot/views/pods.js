// Pods, live: the Table kubectl gets (STATUS, READY, RESTARTS as its printer writes them), kept live by a watch of
// the same Table, filtered by namespace and label selector, in a virtualised list.
import { LiveCollection, collectionPath, call } from '../api.js';
import { age, restartsNow } from '../format.js';
import { h, confirmAction, explain, notify, statusText } from '../ui.js';
import { VirtualList } from '../vlist.js';
import { listFilters } from './filters.js';

const ROW = 40;

export async function deletePod(namespace, name) {
  const ok = await confirmAction('Delete pod', `Delete pod ${name} in namespace ${namespace}? Its controller, if any, will replace it.`, { confirm: 'Delete' });
  if (!ok) return false;
  try {
    await call('DELETE', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } });
    notify(`Pod ${name} is being deleted`);
    return true;
  } catch (e) {
    explain(e, `Deleting pod ${name}`);
    return false;
  }
}

export async function pods(main, signal, params) {
  const filters = await listFilters('pods', params, signal);
  const { namespace } = filters;
  const summary = h('p', { id: 'pods-summary', 'data-testid': 'pods-summary', 'aria-live': 'polite' }, 'Loading…');
  const header = h('div', { className: 'grid-row grid-head', role: 'row', 'aria-rowindex': '1' },
    ['Name', 'Namespace', 'Ready', 'Status', 'Restarts', 'Age', 'Node', 'Actions'].map((c) => h('span', { role: 'columnheader' }, c)));
  const grid = h('div', { role: 'table', 'aria-label': 'Pods', 'aria-describedby': 'pods-summary', className: 'grid pods-grid vlist', 'data-testid': 'pods-table' },
    h('div', { role: 'rowgroup', className: 'grid-head-group' }, header));
  const viewport = grid;
  main.replaceChildren(h('h1', {}, 'Pods'), filters.form, summary, grid);

  let live;
  const list = new VirtualList(viewport, ROW, (row) => {
    const meta = row.object.metadata;
    const now = Date.now();
    return h('div', { className: 'grid-row', role: 'row', 'data-key': meta.uid, 'data-testid': 'pod-row', 'data-name': meta.name },
      h('span', { role: 'cell' }, h('a', { href: `#/pods/${encodeURIComponent(meta.namespace)}/${encodeURIComponent(meta.name)}` }, meta.name)),
      h('span', { role: 'cell' }, meta.namespace),
      h('span', { role: 'cell', 'data-col': 'ready' }, String(live.cell(row, 'Ready') ?? '')),
      h('span', { role: 'cell', 'data-col': 'status', className: `status-${String(live.cell(row, 'Status') ?? '')}` }, String(live.cell(row, 'Status') ?? '')),
      // Its "ago" ticks with AGE, as a new kubectl get would print it.
      h('span', { role: 'cell', 'data-col': 'restarts' }, restartsNow(live.cell(row, 'Restarts'), row.object, now)),
      h('span', { role: 'cell', 'data-col': 'age' }, age(meta.creationTimestamp, now)),
      h('span', { role: 'cell' }, row.object.spec?.nodeName ?? ''),
      // Across namespaces a name alone is ambiguous: the button names the pod as namespace/name there.
      h('span', { role: 'cell' }, h('button', { type: 'button', className: 'small danger', 'aria-label': `Delete pod ${namespace ? meta.name : `${meta.namespace}/${meta.name}`}`, onclick: () => deletePod(meta.namespace, meta.name) }, 'Delete')));
  });
  const first = performance.now();
  live = new LiveCollection(collectionPath('', 'v1', 'pods', namespace), {
    table: true,
    query: filters.query,
    onChange: (c) => {
      const rows = [...c.items.values()].sort((a, b) =>
        (a.object.metadata.namespace + '/' + a.object.metadata.name).localeCompare(b.object.metadata.namespace + '/' + b.object.metadata.name));
      summary.textContent = filters.describe(rows.length, 'pods');
      summary.className = '';
      // The header row and all the rows, not only those in the DOM (the list is virtualised).
      grid.setAttribute('aria-rowcount', String(rows.length + 1));
      list.setItems(rows);
      if (!window.__dashboardFirstPaint) {
        // For the benchmark: the time from opening the list to its first rows.
        requestAnimationFrame(() => { window.__dashboardFirstPaint = performance.now() - first; });
      }
      window.__dashboardUpdates = c.updates;
    },
    // In the list itself, once: an invalid label selector's 400 is not retried (afterFailure), so "Loading…" gives
    // way to the API's message; a failure retried says so until the list is back.
    onError: (e, { retrying }) => {
      summary.textContent = `Cannot list pods: ${statusText(e)}${retrying ? ' (trying again)' : ''}`;
      summary.className = 'error';
    },
  }).start();
  // For the benchmark: it feeds the list's own update path events of its own to measure what the page can apply.
  window.__dashboardPods = live;
  // AGE ticks, as kubectl's would on a new get.
  const tick = setInterval(() => list.schedule(), 1000);
  signal.addEventListener('abort', () => { live.stop(); clearInterval(tick); });
}
