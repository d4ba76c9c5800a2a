/**
 * Starts and stops the benchmark sandbox (`sandbox-server.ts`), or another server entry that
 * speaks the same protocol (its URL on stdout, its counters over IPC), in its own process.
 */
import type { ChildProcess } from 'node:child_process';
import { firstLine, request, spawnTsEntry, stopChild } from './child-process.js';
import type { SandboxCounters, SandboxServerOptions } from './sandbox-server.js';

export const SANDBOX_TOKEN = 'sandbox-token';

export interface ServerProcess<Counters> {
  url: string;
  pid: number;
  counters(): Promise<Counters>;
  stop(): Promise<void>;
}

export type SandboxProcess = ServerProcess<SandboxCounters>;

export function startSandboxProcess(options: SandboxServerOptions): Promise<SandboxProcess> {
  return startServerProcess<SandboxCounters>('./sandbox-server.ts', options, 'the sandbox');
}

/**
 * Runs the server `entry` (a path relative to this folder) with `options` as its one JSON
 * argument, and resolves once it has printed its loopback URL.
 */
export async function startServerProcess<Counters>(
  entry: string,
  options: unknown,
  what: string,
): Promise<ServerProcess<Counters>> {
  const child: ChildProcess = spawnTsEntry(entry, [JSON.stringify(options)]);
  try {
    // Seeding 1,000,000 tickets takes a few seconds; anything slower is a hang.
    const url = await firstLine(child, 60_000, what);
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`unexpected ${what} URL ${url}`);
    return {
      url,
      pid: child.pid ?? -1,
      counters: async () =>
        (await request<{ counters: Counters }>(child, { type: 'counters' }, 'counters', 30_000))
          .counters,
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
