/** rrweb on its own, for `npm run bench:snapshot-cost`: one record() call with its default options, timed. */
import { record } from 'rrweb';

(window as unknown as { __rrwebAlone: () => number }).__rrwebAlone = () => {
  const started = performance.now();
  const stop = record({ emit: () => undefined });
  const ms = performance.now() - started;
  stop?.();
  return ms;
};
