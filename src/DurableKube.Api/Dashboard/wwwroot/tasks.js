// Async work on a page, kept in order: refreshes that never overlap, and one stream at a time. No DOM: unit-tested by
// tests/js/dashboard (node --test).

/**
 * A refresh that never runs twice at once: a call while it runs asks for one more run after it (however many calls
 * came meanwhile), which then reads the state as it is by then. So an older answer never lands after a newer one.
 * A run that throws is given to `onError`; the runs asked for after it still happen.
 * @param {() => Promise<void>} task
 * @param {(error: unknown) => void} onError
 * @returns {() => Promise<void>} starts (or asks for) a run; resolves when the runs it joined have ended
 */
export function coalesce(task, onError) {
  let running = null;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      try {
        await task();
      } catch (e) {
        onError(e);
      }
    } while (again);
    running = null;
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = loop();
    return running;
  };
}

/**
 * One stream at a time under a page's signal (a followed log started again on each run of a crash-looping container):
 * `next()` aborts the signal it gave before and gives a new one. The page's signal aborts the current one and calls
 * `onStop`, through one listener however often `next()` is called.
 * @param {AbortSignal} page
 * @param {() => void} [onStop]
 * @returns {{next: () => AbortSignal}}
 */
export function restartable(page, onStop) {
  let current = null;
  page.addEventListener('abort', () => { current?.abort(); onStop?.(); }, { once: true });
  return {
    next() {
      current?.abort();
      current = new AbortController();
      if (page.aborted) current.abort();
      return current.signal;
    },
  };
}
