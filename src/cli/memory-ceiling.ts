// Keeps a long bulk command (palisade import) near a resident-memory ceiling. V8 sizes its heap
// by the machine's memory, so on a large host an import of a million rows lets garbage pile up
// to several hundred MB although what it holds at any time (two batches) is a few dozen MB.
// A full collection whenever resident memory passes the ceiling costs a few ms per batch.
import v8 from 'node:v8';
import vm from 'node:vm';

/** Starts watching; returns the function that stops it. */
export function holdMemoryNear(ceilingBytes: number, everyMs = 250): () => void {
  // The collector is reachable only with --expose-gc; setting the flag at run time and reading
  // gc from a fresh context is the documented way to get it without restarting the process.
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  if (typeof gc !== 'function') return () => undefined;
  const collect = gc as () => void;
  const timer = setInterval(() => {
    if (process.memoryUsage.rss() > ceilingBytes) collect();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
