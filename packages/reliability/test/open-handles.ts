/**
 * What this process holds open, to prove that a run leaks neither sockets nor file handles. The
 * sandbox runs in the test's own process, so both ends of every loopback connection count.
 */
import { readdirSync, readlinkSync } from 'node:fs';

export interface OpenHandles {
  /** Open file descriptors (`/proc/self/fd`), sockets included; `undefined` off Linux. */
  fds: number | undefined;
  /** Of those, sockets. */
  sockets: number | undefined;
  /** Node's own count of active handles (sockets, servers, timers with a ref). */
  activeHandles: number;
}

export function openHandles(): OpenHandles {
  let fds: number | undefined;
  let sockets: number | undefined;
  try {
    const entries = readdirSync('/proc/self/fd');
    fds = entries.length;
    sockets = 0;
    for (const entry of entries) {
      try {
        if (readlinkSync(`/proc/self/fd/${entry}`).startsWith('socket:')) sockets += 1;
      } catch {
        // The descriptor closed while we listed: not open any more.
      }
    }
  } catch {
    // Not Linux: only Node's own count is available.
  }
  const processWithHandles = process as NodeJS.Process & { _getActiveHandles?: () => unknown[] };
  return { fds, sockets, activeHandles: processWithHandles._getActiveHandles?.().length ?? 0 };
}
