// The restart timeline: a pure layout (unit-tested in tests/js/dashboard) and its SVG drawing.

const SVG = 'http://www.w3.org/2000/svg';

/**
 * The colour class of a run: running, exit 0, killed by a signal (exit codes above 128), or another failure.
 * @param {{finishedAt?: string|null, exitCode?: number|null}} run
 */
export function runClass(run) {
  if (!run.finishedAt) return 'run-live';
  if (run.exitCode === 0) return 'run-ok';
  if ((run.exitCode ?? 0) > 128) return 'run-killed';
  return 'run-failed';
}

/**
 * Lays the runs of each container out on one time axis.
 * @param {{name: string, runs: {attempt:number, startedAt:string, finishedAt?:string|null, exitCode?:number|null, reason?:string|null, backoffSeconds?: number|null}[], restartAt?: string|null}[]} containers
 * @param {number} now epoch milliseconds
 * @param {number} width pixels of the axis
 * @returns {{start:number, end:number, rows:{name:string, bars:any[], gaps:any[], pending:any|null}[]}}
 */
export function layoutTimeline(containers, now, width) {
  const times = [];
  for (const c of containers) {
    for (const r of c.runs ?? []) {
      times.push(Date.parse(r.startedAt));
      if (r.finishedAt) times.push(Date.parse(r.finishedAt));
    }
    if (c.restartAt) times.push(Date.parse(c.restartAt));
  }
  const valid = times.filter((t) => !Number.isNaN(t));
  if (valid.length === 0) return { start: now, end: now, rows: containers.map((c) => ({ name: c.name, bars: [], gaps: [], pending: null })) };
  const start = Math.min(...valid);
  const end = Math.max(now, ...valid);
  const span = Math.max(end - start, 1000);
  const x = (t) => ((t - start) / span) * width;
  const rows = containers.map((c) => {
    const runs = [...(c.runs ?? [])].sort((a, b) => a.attempt - b.attempt);
    const bars = runs.map((r) => {
      const s = Date.parse(r.startedAt);
      const f = r.finishedAt ? Date.parse(r.finishedAt) : now;
      const x0 = x(s);
      return {
        attempt: r.attempt,
        x: x0,
        w: Math.max(x(f) - x0, 2),
        cls: runClass(r),
        exitCode: r.finishedAt ? (r.exitCode ?? null) : null,
        reason: r.reason ?? null,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt ?? null,
        seconds: Math.max(0, Math.round((f - s) / 1000)),
      };
    });
    const gaps = [];
    for (let i = 0; i + 1 < runs.length; i++) {
      if (!runs[i].finishedAt) continue;
      const f = Date.parse(runs[i].finishedAt);
      const s = Date.parse(runs[i + 1].startedAt);
      gaps.push({ after: runs[i].attempt, x: x(f), w: Math.max(x(s) - x(f), 1), seconds: Math.max(0, Math.round((s - f) / 1000)) });
    }
    let pending = null;
    const last = runs[runs.length - 1];
    if (c.restartAt && last?.finishedAt) {
      const f = Date.parse(last.finishedAt);
      const due = Date.parse(c.restartAt);
      gaps.push({ after: last.attempt, x: x(f), w: Math.max(x(due) - x(f), 1), seconds: Math.max(0, Math.round((due - f) / 1000)), pending: true });
      pending = { x: x(due), at: c.restartAt, inSeconds: Math.round((due - now) / 1000) };
    }
    return { name: c.name, bars, gaps, pending };
  });
  return { start, end, rows };
}

function el(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  if (text !== undefined) {
    const title = document.createElementNS(SVG, 'title');
    title.textContent = text;
    node.appendChild(title);
  }
  return node;
}

/**
 * Draws a layout as an SVG picture (one row per container), with a text alternative for screen readers.
 * @param {ReturnType<typeof layoutTimeline>} layout
 * @param {number} width
 */
export function drawTimeline(layout, width) {
  const label = 120;
  const rowHeight = 28;
  const height = layout.rows.length * rowHeight + 24;
  const svg = el('svg', { viewBox: `0 0 ${width + label + 10} ${height}`, role: 'img', class: 'timeline', 'aria-labelledby': 'timeline-title' });
  const title = el('title', { id: 'timeline-title' });
  title.textContent = `Restart timeline: ${layout.rows.map((r) => `${r.name}, ${r.bars.length} runs`).join('; ')}`;
  svg.appendChild(title);
  layout.rows.forEach((row, i) => {
    const y = i * rowHeight + 4;
    const name = el('text', { x: 0, y: y + 15, class: 'tl-name' });
    name.textContent = row.name;
    svg.appendChild(name);
    for (const gap of row.gaps) {
      svg.appendChild(el('rect', { x: label + gap.x, y: y + 8, width: gap.w, height: 4, class: gap.pending ? 'tl-gap tl-gap-pending' : 'tl-gap', 'data-testid': 'timeline-gap' },
        gap.pending ? `back-off: restart due after ${gap.seconds}s` : `back-off waited ${gap.seconds}s`));
    }
    for (const bar of row.bars) {
      const text = bar.finishedAt
        ? `run ${bar.attempt}: ${bar.seconds}s, exit code ${bar.exitCode}${bar.reason ? ` (${bar.reason})` : ''}`
        : `run ${bar.attempt}: running for ${bar.seconds}s`;
      svg.appendChild(el('rect', { x: label + bar.x, y, width: bar.w, height: 20, rx: 3, class: `tl-run ${bar.cls}`, 'data-testid': 'timeline-run', 'data-exit-code': bar.exitCode ?? '' }, text));
    }
    if (row.pending) {
      svg.appendChild(el('line', { x1: label + row.pending.x, x2: label + row.pending.x, y1: y - 2, y2: y + 22, class: 'tl-pending', 'data-testid': 'timeline-pending' },
        `restart due at ${new Date(row.pending.at).toLocaleTimeString()}`));
    }
  });
  const axis = el('text', { x: label, y: height - 4, class: 'tl-axis' });
  axis.textContent = `${new Date(layout.start).toLocaleTimeString()} → ${new Date(layout.end).toLocaleTimeString()}`;
  svg.appendChild(axis);
  return svg;
}
