/**
 * A sandbox in a child process, for suites that measure this process (its sockets, its heap):
 * the server's connections and its growing state then count against the child, not the clients.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

export interface SandboxProcess {
  url: string;
  child: ChildProcess;
  /** Sends SIGTERM and resolves with the exit code once the child is gone. */
  stop(): Promise<number | null>;
}

/** The sandbox's command-line entry, resolved through the workspace link. */
function sandboxBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@bulk-clients/sandbox/package.json')), 'dist', 'bin.js');
}

/**
 * Starts `bulk-clients-sandbox` with `args` on a free loopback port and resolves once it printed
 * its URL. Rejects when it exits first or stays silent for `startTimeoutMs`.
 */
export function startSandboxProcess(
  args: readonly string[],
  startTimeoutMs = 15_000,
): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [sandboxBin(), '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The sandbox printed no URL within ${startTimeoutMs} ms: ${stderr}`));
    }, startTimeoutMs);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The sandbox exited with ${code} before printing its URL: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (url) => {
      clearTimeout(timer);
      resolve({
        url: url.trim(),
        child,
        stop: () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
