// Small DOM helpers shared by the views: elements, the confirmation dialog, messages to the user.
import { ApiError } from './api.js';

/**
 * Makes an element: h('a', {href: '#/'}, 'text', child...). Attributes starting with "on" are listeners.
 * @returns {HTMLElement}
 */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'className') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/**
 * A table with a caption, headers and rows of cells (strings or nodes). A row is an array of cells, or
 * `{ attributes, cells }` for a row with attributes of its own (a data-testid, say).
 */
export function table(caption, headers, rows, attributes = {}) {
  const tr = (r) => (Array.isArray(r) ? h('tr', {}, r.map((c) => h('td', {}, c ?? ''))) : h('tr', r.attributes, r.cells.map((c) => h('td', {}, c ?? ''))));
  return h('table', attributes,
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.length ? rows.map(tr) : h('tr', {}, h('td', { colspan: headers.length }, 'None'))));
}

/** Shows a message in the live region (read by screen readers), an error in red. */
export function notify(text, error = false) {
  const box = document.getElementById('toast');
  box.textContent = text;
  box.className = error ? 'toast error' : 'toast';
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { box.textContent = ''; box.className = 'toast'; }, error ? 12000 : 5000);
}

/** Why a call failed, in the API's own words: `Forbidden: ...`, `Error 400: unable to parse requirement: ...`. */
export function statusText(error) {
  if (error instanceof ApiError) {
    const prefix = error.code === 403 ? 'Forbidden' : error.code === 401 ? 'Not signed in' : `Error ${error.code}`;
    return `${prefix}: ${error.message}`;
  }
  return String(error?.message ?? error);
}

/** Says what failed and why, with the API's own words (a viewer's 403 is shown, not swallowed). */
export function explain(error, what) {
  notify(`${what}: ${statusText(error)}`, true);
}

/**
 * Asks the user to confirm an action in a modal dialog; resolves to the value of the input when asked for one.
 * @param {string} title
 * @param {string} message
 * @param {{confirm?: string, input?: {label: string, value: string, type?: string, min?: number}}} [options]
 * @returns {Promise<string|boolean|null>} null when cancelled
 */
export function confirmAction(title, message, options = {}) {
  const dialog = document.getElementById('confirm');
  dialog.replaceChildren();
  const input = options.input
    ? h('input', { id: 'confirm-input', type: options.input.type ?? 'text', value: options.input.value, min: options.input.min, required: true })
    : null;
  const form = h('form', { method: 'dialog' },
    h('h2', { id: 'confirm-title' }, title),
    h('p', { id: 'confirm-message' }, message),
    input ? h('p', {}, h('label', { for: 'confirm-input' }, options.input.label), ' ', input) : null,
    h('div', { className: 'actions' },
      // Cancel is not a submit button, so Enter in the field confirms (a form's default button is its first submit button).
      h('button', { type: 'button', onclick: () => dialog.close('cancel') }, 'Cancel'),
      h('button', { type: 'submit', value: 'ok', className: 'danger' }, options.confirm ?? 'Confirm')));
  dialog.append(form);
  dialog.setAttribute('aria-labelledby', 'confirm-title');
  dialog.setAttribute('aria-describedby', 'confirm-message');
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue !== 'ok') resolve(null);
      else resolve(input ? input.value : true);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    (input ?? form.querySelector('button.danger')).focus();
  });
}

/** A link to an object's page in the app. */
export function objectLink(kind, namespace, name) {
  const route = kind === 'Pod' ? 'pods' : `controllers/${kind.toLowerCase()}s`;
  return h('a', { href: `#/${route}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}` }, name);
}
