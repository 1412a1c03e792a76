// The filters of a list page (pods, controllers): a namespace <select> (a change applies it) and a label selector,
// read from the page's address and written back to it, so a filtered list can be linked and reloaded.
import { get } from '../api.js';
import { filterAddress, normalizeSelector } from '../format.js';
import { h } from '../ui.js';

/**
 * Reads the namespaces and makes the filter form of the list page `page` (`pods`, `controllers`).
 * @param {string} page
 * @param {URLSearchParams} params the page's address parameters (`namespace`, `labelSelector`)
 * @param {AbortSignal} signal
 * @returns {Promise<{namespace: string, selector: string, query: string, form: HTMLElement, describe: (count: number, noun: string) => string}>}
 *   `query` is the label selector as a list's query (`labelSelector=...`, or '')
 */
export async function listFilters(page, params, signal) {
  const namespace = params.get('namespace') ?? '';
  const selector = normalizeSelector(params.get('labelSelector') ?? '');
  const namespaces = await get('/api/v1/namespaces', { signal });
  const nsSelect = h('select', { id: 'ns-filter', name: 'namespace' },
    h('option', { value: '' }, 'All namespaces'),
    (namespaces.items ?? []).map((n) => h('option', { value: n.metadata.name, selected: n.metadata.name === namespace }, n.metadata.name)));
  const selectorInput = h('input', { id: 'label-filter', name: 'labelSelector', value: selector, placeholder: 'app=web,tier!=db', autocomplete: 'off' });
  const form = h('form', { className: 'filters', role: 'search', 'aria-label': 'Filter', onsubmit: (e) => {
    e.preventDefault();
    location.hash = filterAddress(page, nsSelect.value, selectorInput.value);
  } },
  h('label', { for: 'ns-filter' }, 'Namespace'), nsSelect,
  h('label', { for: 'label-filter' }, 'Label selector'), selectorInput,
  h('button', { type: 'submit' }, 'Filter'));
  nsSelect.addEventListener('change', () => form.requestSubmit());
  return {
    namespace,
    selector,
    query: selector ? `labelSelector=${encodeURIComponent(selector)}` : '',
    form,
    describe: (count, noun) => `${count} ${noun}${namespace ? ` in ${namespace}` : ''}${selector ? ` matching ${selector}` : ''}`,
  };
}
