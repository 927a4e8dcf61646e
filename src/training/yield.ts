/**
 * Lets the event loop run between batches, so timers, I/O and (in a page) rendering
 * and input stay responsive while training. Uses the cheapest primitive available:
 * `setImmediate` in Node, a `MessageChannel` message in browsers (not throttled like
 * `setTimeout(0)`), `setTimeout` as a last resort.
 */
export function nextTurn(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((r) => setImmediate(r));
  if (typeof MessageChannel === 'function') {
    return new Promise((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        r();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}
