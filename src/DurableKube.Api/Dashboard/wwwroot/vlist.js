// A virtualised list: only the rows in view (and a few around) are in the DOM, so 1,000 or 10,000 rows stay fast.

export class VirtualList {
  /**
   * @param {HTMLElement} viewport a scrolling element of fixed height
   * @param {number} rowHeight pixels
   * @param {(item: any, index: number) => HTMLElement} renderRow
   */
  constructor(viewport, rowHeight, renderRow) {
    this.viewport = viewport;
    this.rowHeight = rowHeight;
    this.renderRow = renderRow;
    this.items = [];
    // The rows are direct children of one rowgroup (as ARIA wants a table's rows to be): its height holds the whole
    // list, its top padding the rows scrolled past.
    this.body = document.createElement('div');
    this.body.className = 'vlist-rows';
    this.body.setAttribute('role', 'rowgroup');
    viewport.append(this.body);
    this.pending = false;
    viewport.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  setItems(items) {
    this.items = items;
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  render() {
    const total = this.items.length;
    this.body.style.height = `${total * this.rowHeight}px`;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / this.rowHeight) - 5);
    const last = Math.min(total, Math.ceil((this.viewport.scrollTop + height) / this.rowHeight) + 5);
    this.body.style.paddingTop = `${first * this.rowHeight}px`;
    const focused = document.activeElement;
    const focusKey = this.body.contains(focused) ? focused?.closest('[data-key]')?.getAttribute('data-key') : null;
    const rows = [];
    for (let i = first; i < last; i++) {
      const row = this.renderRow(this.items[i], i);
      row.setAttribute('aria-rowindex', String(i + 2));
      rows.push(row);
    }
    this.body.replaceChildren(...rows);
    if (focusKey) {
      // Keep keyboard focus on the same row's control across a redraw.
      const again = this.body.querySelector(`[data-key="${CSS.escape(focusKey)}"] a, [data-key="${CSS.escape(focusKey)}"] button`);
      again?.focus();
    }
    this.rendered = last - first;
  }
}
