/**
 * A full garbage collection on demand, without needing `--expose-gc` on the test runner: heap
 * figures are only comparable after one.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/** Collects twice (the second pass frees what finalizers of the first released) and returns heapUsed. */
export function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
