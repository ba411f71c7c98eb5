/**
 * Passes on at most one event per interval, plus every event `isFinal` accepts, so a 100k-row job sends the UI a
 * handful of progress messages instead of thousands.
 */
export function throttle<T>(
  send: (event: T) => void,
  intervalMs: number,
  isFinal: (event: T) => boolean,
  now: () => number = () => performance.now(),
): (event: T) => void {
  let last = -Infinity;
  return (event) => {
    const time = now();
    if (!isFinal(event) && time - last < intervalMs) return;
    last = time;
    send(event);
  };
}
