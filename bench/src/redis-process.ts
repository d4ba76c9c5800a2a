/**
 * A throwaway redis-server on loopback for the benchmarks (no persistence), and its command
 * counters (`INFO commandstats`) through redis-cli.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
/** The benchmark's own commands. */
const IGNORED = new Set(['info', 'config', 'ping', 'monitor']);

export interface RedisProcess {
  url: string;
  port: number;
  /**
   * Counts the commands clients send (round trips; not those a script runs) from now until
   * the returned function is called, which resolves to the calls per command.
   */
  monitor(): Promise<() => Promise<Map<string, number>>>;
  /** Runs `redis-cli -p PORT ...args` and resolves to its output. */
  cli(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Whether `redis-server` and `redis-cli` are on the PATH. */
export function redisAvailable(): boolean {
  return ['redis-server', 'redis-cli'].every((bin) => {
    const found = spawnSync(bin, ['--version'], { stdio: 'ignore' });
    return !found.error && found.status === 0;
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

export async function startRedisProcess(): Promise<RedisProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const cli = async (...args: string[]): Promise<string> =>
    (await execFileAsync('redis-cli', ['-p', String(port), ...args])).stdout;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await cli('PING')).trim() === 'PONG') break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`redis-server did not answer on port ${port} within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const monitor = async (): Promise<() => Promise<Map<string, number>>> => {
    const watcher = spawn('redis-cli', ['-p', String(port), 'MONITOR'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const calls = new Map<string, number>();
    let buffered = '';
    let ready: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      ready = resolve;
    });
    watcher.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('OK')) ready();
        // `<time> [<db> <client address>] "<command>" ...`; a script's commands show `[<db> lua]`.
        const match = /^\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
        if (!match || match[1] === 'lua') continue;
        const name = (match[2] as string).toLowerCase();
        if (IGNORED.has(name)) continue;
        calls.set(name, (calls.get(name) ?? 0) + 1);
      }
    });
    await started;
    return async () => {
      // A last PING marks the end: every command before it has been printed once it shows.
      await cli('PING');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const exited = once(watcher, 'exit');
      watcher.kill('SIGTERM');
      await exited;
      return calls;
    };
  };
  return { url: `redis://127.0.0.1:${port}`, port, cli, monitor, stop };
}

/** Calls per command since the last `CONFIG RESETSTAT`, without the counters' own commands. */
export async function commandCalls(redis: RedisProcess): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const line of (await redis.cli('INFO', 'commandstats')).split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (!match) continue;
    const name = match[1] as string;
    if (IGNORED.has(name) || name.startsWith('config')) continue;
    calls.set(name, Number(match[2]));
  }
  return calls;
}

export function totalCalls(calls: Map<string, number>): number {
  let total = 0;
  for (const value of calls.values()) total += value;
  return total;
}
