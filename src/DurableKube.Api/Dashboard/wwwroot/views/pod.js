// A pod's page: containers and their states, conditions, events, logs (following), the restart timeline drawn from
// the runs the pod's workflow keeps, and the workflow itself.
import { get, stream, LiveCollection, ApiError } from '../api.js';
import { age, podEventsPath } from '../format.js';
import { restartable, coalesce } from '../tasks.js';
import { layoutTimeline, drawTimeline } from '../timeline.js';
import { h, table, explain } from '../ui.js';
import { deletePod } from './pods.js';
import { readWorkflow, workflowPanel } from './workflow.js';

function stateText(state) {
  if (!state) return '-';
  if (state.running) return `Running since ${new Date(state.running.startedAt).toLocaleTimeString()}`;
  if (state.waiting) return `Waiting: ${state.waiting.reason ?? ''}${state.waiting.message ? ` (${state.waiting.message})` : ''}`;
  if (state.terminated) return `Terminated: ${state.terminated.reason ?? ''}, exit code ${state.terminated.exitCode}`;
  return '-';
}

export async function podPage(main, signal, namespace, name) {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
  const heading = h('h1', {}, `Pod ${name}`);
  const info = h('div', { id: 'pod-info' });
  const timeline = h('section', { 'aria-labelledby': 'timeline-heading', 'data-testid': 'timeline' }, h('h2', { id: 'timeline-heading' }, 'Restart timeline'));
  const workflow = h('div');
  const events = h('div');
  const logs = h('section', { 'aria-labelledby': 'logs-heading' }, h('h2', { id: 'logs-heading' }, 'Logs'));
  const actions = h('p', { className: 'actions' },
    h('button', { type: 'button', className: 'danger', onclick: async () => { if (await deletePod(namespace, name)) location.hash = `#/pods?namespace=${encodeURIComponent(namespace)}`; } }, 'Delete pod'));
  // The timeline first: why a pod crash-loops is what a user opens this page for.
  main.replaceChildren(heading, h('p', {}, `Namespace ${namespace}`), actions, timeline, info, workflow, events, logs);

  let pod;
  let logsStarted = false;
  // One read of the workflow and events at a time (a change of the pod and the 3 s timer ask for more).
  const refresh = coalesce(async () => {
    try {
      const [view, eventList] = await Promise.all([
        readWorkflow('pods', namespace, name, signal).catch((e) => (e instanceof ApiError ? { message: e.message } : Promise.reject(e))),
        get(podEventsPath(namespace, name, pod?.metadata?.uid), { signal }),
      ]);
      renderTimeline(view);
      workflow.replaceChildren(workflowPanel(view));
      const now = Date.now();
      const items = [...(eventList.items ?? [])].sort((a, b) => Date.parse(b.lastTimestamp ?? b.eventTime ?? 0) - Date.parse(a.lastTimestamp ?? a.eventTime ?? 0));
      events.replaceChildren(h('h2', {}, 'Events'), table('Events of this pod', ['Type', 'Reason', 'Age', 'From', 'Count', 'Message'],
        items.map((e) => [e.type, e.reason, age(e.lastTimestamp ?? e.eventTime, now), e.source?.component ?? e.reportingComponent ?? '', String(e.count ?? 1), e.message ?? ''])));
    } catch (e) {
      if (!signal.aborted) explain(e, 'Reading the pod\'s workflow and events');
    }
  }, (e) => { if (!signal.aborted) explain(e, 'Showing the pod'); });

  const renderTimeline = (view) => {
    const containers = view.instance?.customStatus?.detail?.containers;
    const body = [h('h2', { id: 'timeline-heading' }, 'Restart timeline')];
    if (!containers?.length) {
      body.push(h('p', {}, view.message ?? 'The pod\'s workflow has published no runs yet.'));
    } else {
      const width = Math.max(300, Math.min(900, main.clientWidth - 180));
      body.push(drawTimeline(layoutTimeline(containers, Date.now(), width), width));
      body.push(h('p', { className: 'legend' },
        h('span', { className: 'key run-live' }, ''), ' running ', h('span', { className: 'key run-ok' }, ''), ' exit 0 ',
        h('span', { className: 'key run-failed' }, ''), ' exit code 1-128 ', h('span', { className: 'key run-killed' }, ''), ' killed (exit > 128) ',
        h('span', { className: 'key tl-gap' }, ''), ' back-off ', h('span', { className: 'key tl-pending' }, ''), ' pending restart'));
      body.push(table('Runs', ['Container', 'Run', 'Started', 'Finished', 'Exit code', 'Reason', 'Back-off before next'],
        containers.flatMap((c) => (c.runs ?? []).map((r) => [c.name, String(r.attempt), new Date(r.startedAt).toLocaleTimeString(),
          r.finishedAt ? new Date(r.finishedAt).toLocaleTimeString() : 'running', r.exitCode ?? '', r.reason ?? '', r.backoffSeconds != null ? `${Math.round(r.backoffSeconds * 10) / 10}s` : ''])), { 'data-testid': 'runs-table' }));
      const due = containers.filter((c) => c.restartAt).map((c) => `${c.name}: restart due at ${new Date(c.restartAt).toLocaleTimeString()}`);
      if (due.length) body.push(h('p', { 'data-testid': 'pending-restart' }, due.join('; ')));
    }
    timeline.replaceChildren(...body);
  };

  const renderPod = () => {
    const now = Date.now();
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    info.replaceChildren(
      h('dl', { className: 'facts' },
        h('dt', {}, 'Phase'), h('dd', { 'data-testid': 'pod-phase' }, pod.status?.phase ?? 'Pending'),
        h('dt', {}, 'Node'), h('dd', {}, pod.spec?.nodeName ?? '-'),
        h('dt', {}, 'Pod IP'), h('dd', {}, pod.status?.podIP ?? '-'),
        h('dt', {}, 'Age'), h('dd', {}, age(pod.metadata.creationTimestamp, now)),
        h('dt', {}, 'Controlled by'), h('dd', {}, (pod.metadata.ownerReferences ?? []).filter((o) => o.controller)
          .map((o) => h('a', { href: `#/controllers/${o.kind.toLowerCase()}s/${encodeURIComponent(namespace)}/${encodeURIComponent(o.name)}` }, `${o.kind}/${o.name}`))[0] ?? '-'),
        h('dt', {}, 'Labels'), h('dd', {}, Object.entries(pod.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', ') || '-')),
      table('Containers', ['Name', 'Image', 'State', 'Ready', 'Restarts', 'Last state'], statuses.map((s) => [
        s.name, s.image, stateText(s.state), s.ready ? 'yes' : 'no', String(s.restartCount ?? 0), stateText(s.lastState)]), { 'data-testid': 'containers' }),
      table('Conditions', ['Type', 'Status', 'Reason', 'Last transition'], (pod.status?.conditions ?? []).map((c) => [
        c.type, c.status, c.reason ?? '', c.lastTransitionTime ? age(c.lastTransitionTime, now) + ' ago' : ''])));
    if (!logsStarted) {
      logsStarted = true;
      setupLogs();
    }
  };

  const setupLogs = () => {
    const names = (pod.spec?.containers ?? []).map((c) => c.name);
    const select = h('select', { id: 'log-container' }, names.map((n) => h('option', { value: n }, n)));
    const follow = h('input', { type: 'checkbox', id: 'log-follow', checked: true });
    const output = h('pre', { className: 'logs', tabindex: '0', 'aria-label': 'Log output', 'data-testid': 'logs' });
    let retry;
    // Each start ends the stream before it; the page's end ends the last (one listener on the page's signal, however
    // often a crash loop starts the stream again).
    const streams = restartable(signal, () => clearTimeout(retry));
    const start = () => {
      clearTimeout(retry);
      const mine = streams.next();
      if (mine.aborted) return;
      const q = `container=${encodeURIComponent(select.value)}&tailLines=500${follow.checked ? '&follow=true' : ''}`;
      let fresh = true;
      stream(`${base}/log?${q}`, { accept: '*/*', signal: mine }, (line) => {
        if (fresh) { output.textContent = ''; fresh = false; }
        output.append(`${line}\n`);
        if (output.childNodes.length > 2000) output.firstChild.remove();
        output.scrollTop = output.scrollHeight;
      }).catch((e) => {
        if (!mine.aborted && fresh) output.textContent = `[${e.message}]`;
      }).finally(() => {
        // Following goes on with the container's next run (or once it has started): look again shortly.
        if (!mine.aborted && follow.checked) retry = setTimeout(start, 3000);
      });
    };
    select.addEventListener('change', start);
    follow.addEventListener('change', start);
    logs.append(h('p', { className: 'filters' }, h('label', { for: 'log-container' }, 'Container'), select,
      h('label', { for: 'log-follow' }, follow, ' Follow')), output);
    start();
  };

  // The pod itself, live: a watch of this one name.
  const live = new LiveCollection(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, {
    query: `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
    onChange: (c) => {
      const found = [...c.items.values()][0];
      if (!found) {
        heading.textContent = `Pod ${name} (gone)`;
        info.replaceChildren(h('p', { 'data-testid': 'pod-gone' }, 'This pod no longer exists.'));
        return;
      }
      pod = found;
      renderPod();
      refresh();
    },
    onError: (e) => explain(e, 'Watching the pod'),
  }).start();
  // The pending restart's countdown and a running bar grow with time even when nothing is written.
  const timer = setInterval(() => refresh(), 3000);
  signal.addEventListener('abort', () => { live.stop(); clearInterval(timer); });
}
