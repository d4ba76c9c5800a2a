/** Starts and stops the benchmark sandbox (`sandbox-server.ts`) in its own process. */
import type { ChildProcess } from 'node:child_process';
import { firstLine, request, spawnTsEntry, stopChild } from './child-process.js';
import type { SandboxCounters, SandboxServerOptions } from './sandbox-server.js';

export const SANDBOX_TOKEN = 'sandbox-token';

export interface SandboxProcess {
  url: string;
  pid: number;
  counters(): Promise<SandboxCounters>;
  stop(): Promise<void>;
}

export async function startSandboxProcess(options: SandboxServerOptions): Promise<SandboxProcess> {
  const child: ChildProcess = spawnTsEntry('./sandbox-server.ts', [JSON.stringify(options)]);
  try {
    // Seeding 1,000,000 tickets takes a few seconds; anything slower is a hang.
    const url = await firstLine(child, 60_000, 'the sandbox');
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`unexpected sandbox URL ${url}`);
    return {
      url,
      pid: child.pid ?? -1,
      counters: async () =>
        (
          await request<{ counters: SandboxCounters }>(
            child,
            { type: 'counters' },
            'counters',
            30_000,
          )
        ).counters,
      stop: () => stopChild(child),
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
