/**
 * Node child processes with an IPC channel, bounded in time: the sandbox and each measured
 * client run in their own process, so that none of them shares an event loop or a heap with
 * another or with the harness.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Runs a TypeScript entry of this package under tsx. */
export function spawnTsEntry(entry: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess {
  const path = fileURLToPath(new URL(entry, import.meta.url));
  return spawn(process.execPath, ['--import', 'tsx', path, ...args], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: env ?? process.env,
  });
}

/** Resolves with the first line the child prints on stdout, or rejects after `timeoutMs`. */
export function firstLine(child: ChildProcess, timeoutMs: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what} printed nothing within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end === -1) return;
      cleanup();
      resolve(buffered.slice(0, end).trim());
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${what} exited with code ${code} before it was ready`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Sends `message` and waits for the next message of type `type`, at most `timeoutMs`. */
export function request<T>(
  child: ChildProcess,
  message: { type: string },
  type: string,
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no "${type}" answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (answer: { type?: string }) => {
      if (answer?.type !== type) return;
      cleanup();
      resolve(answer as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child exited with code ${code} before answering "${type}"`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message);
  });
}

/** Ends a child we started: disconnect (it exits on its own), then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  if (child.connected) child.disconnect();
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
