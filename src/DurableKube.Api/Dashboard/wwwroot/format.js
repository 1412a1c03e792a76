// Pure formatting helpers, unit-tested by tests/js/dashboard (node --test).

/**
 * kubectl's AGE: a port of apimachinery's duration.HumanDuration (k8s.io/apimachinery/pkg/util/duration), which
 * kubectl's printers apply to the time since creationTimestamp.
 * @param {number} ms milliseconds
 * @returns {string}
 */
export function humanDuration(ms) {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3600000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/**
 * The AGE of an object at a time, as kubectl prints it; `<unknown>` without a timestamp.
 * @param {string|undefined|null} timestamp RFC 3339
 * @param {number} now epoch milliseconds
 */
export function age(timestamp, now) {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/**
 * A label selector from text a user typed (kubectl's syntax is sent as is; only whitespace around commas is removed).
 * @param {string} text
 */
export function normalizeSelector(text) {
  return (text ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0).join(',');
}

/**
 * The label selector of a controller's `spec.selector` (matchLabels and matchExpressions), as kubectl would write it.
 * @param {{matchLabels?: Record<string,string>, matchExpressions?: {key:string, operator:string, values?:string[]}[]}|undefined} selector
 */
export function selectorString(selector) {
  if (!selector) return '';
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    switch (e.operator) {
      case 'In': parts.push(`${e.key} in (${values})`); break;
      case 'NotIn': parts.push(`${e.key} notin (${values})`); break;
      case 'Exists': parts.push(e.key); break;
      case 'DoesNotExist': parts.push(`!${e.key}`); break;
      default: break;
    }
  }
  return parts.join(',');
}

/**
 * Counts pods by phase (Pending, Running, Succeeded, Failed, Unknown), with Terminating apart as kubectl shows it.
 * @param {any[]} pods
 */
export function countByPhase(pods) {
  const counts = { Pending: 0, Running: 0, Succeeded: 0, Failed: 0, Unknown: 0, Terminating: 0 };
  for (const pod of pods) {
    if (pod?.metadata?.deletionTimestamp) counts.Terminating++;
    else counts[pod?.status?.phase ?? 'Pending'] = (counts[pod?.status?.phase ?? 'Pending'] ?? 0) + 1;
  }
  return counts;
}

/**
 * The address of a list page with its filters: `#/pods?namespace=web&labelSelector=app%3Dweb`; an empty filter is
 * left out, and the selector is normalized (normalizeSelector).
 * @param {string} page the route, e.g. `pods` or `controllers`
 * @param {string} namespace '' for all namespaces
 * @param {string} selector as typed
 */
export function filterAddress(page, namespace, selector) {
  const q = new URLSearchParams();
  if (namespace) q.set('namespace', namespace);
  const normalized = normalizeSelector(selector);
  if (normalized) q.set('labelSelector', normalized);
  const query = q.toString();
  return query ? `#/${page}?${query}` : `#/${page}`;
}

/**
 * The events of one pod, as `kubectl describe pod` asks for them: by name and kind, and by uid once the pod is known, so
 * that an earlier pod of the same name lends it none of its events.
 */
export function podEventsPath(namespace, name, uid) {
  const selector = `involvedObject.name=${name},involvedObject.kind=Pod${uid ? `,involvedObject.uid=${uid}` : ''}`;
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/events?fieldSelector=${encodeURIComponent(selector)}`;
}

/**
 * kubectl's RESTARTS cell as it would read now: the server's cell (`3 (15s ago)`) gives the count and was rendered at
 * the pod's last change; its "ago" is measured again from the pod's latest `lastState.terminated.finishedAt`, which is
 * the time the printer used (whenever the cell has an "ago", no container counted after the latest restart has run, so
 * the latest of all statuses is the printer's). A cell without "ago", or a pod without such a time, is left as it is.
 * @param {unknown} cell the server's Restarts cell
 * @param {object} pod the pod the row carries
 * @param {number} now epoch milliseconds
 */
export function restartsNow(cell, pod, now) {
  const text = String(cell ?? '');
  const count = /^(\d+) \(.+ ago\)$/.exec(text)?.[1];
  const finished = [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])]
    .map((s) => Date.parse(s.lastState?.terminated?.finishedAt ?? '')).filter((t) => !Number.isNaN(t));
  return count && finished.length ? `${count} (${humanDuration(now - Math.max(...finished))} ago)` : text;
}
