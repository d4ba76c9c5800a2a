import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** A redis-server started for a test file. */
export interface TestRedisServer {
  /** `redis://127.0.0.1:<port>` (`rediss://` with `tls`) */
  url: string;
  port: number;
  /** The server's process id. */
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /**
   * A password the server asks for (`requirepass`).
   * @default none
   */
  password?: string | undefined;
  /**
   * Port to listen on.
   * @default a free port
   */
  port?: number | undefined;
  /**
   * A folder for an append-only file written on every command (`appendfsync always`), so that
   * a server started again with the same folder and port (after `stop()` or `kill()`) finds
   * everything the last one acknowledged.
   * @default none: nothing persists
   */
  persistDir?: string | undefined;
  /**
   * Serve TLS only (`rediss://`), with this certificate and key (PEM files); clients must trust
   * the certificate (for a child process: `NODE_EXTRA_CA_CERTS`).
   * @default none: plain TCP
   */
  tls?: { certFile: string; keyFile: string } | undefined;
}

/**
 * Starts `redis-server` on 127.0.0.1 and a free port, without persistence, and resolves once it
 * accepts connections. Fails with the package to install when redis-server is not on the PATH.
 */
export async function startRedisServer(
  options: StartRedisServerOptions = {},
): Promise<TestRedisServer> {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (found.error || found.status !== 0) {
    throw new Error(
      'redis-server is not on the PATH: these tests run a real Redis. Install it with `apt-get install redis-server` (Debian/Ubuntu) and run the tests again.',
    );
  }
  const port = options.port ?? (await freePort());
  const args = [
    ...(options.tls === undefined
      ? ['--port', String(port)]
      : [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--tls-cert-file',
          options.tls.certFile,
          '--tls-key-file',
          options.tls.keyFile,
          '--tls-auth-clients',
          'no',
        ]),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    ...(options.persistDir === undefined
      ? ['--appendonly', 'no']
      : ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', options.persistDir]),
    '--loglevel',
    'warning',
  ];
  if (options.password !== undefined) args.push('--requirepass', options.password);
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitForPort(port, child, () => output);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return {
    url: `${options.tls === undefined ? 'redis' : 'rediss'}://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await signal('SIGTERM');
      clearTimeout(timer);
    },
    kill: () => signal('SIGKILL'),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`redis-server exited with code ${child.exitCode}: ${output().trim()}`);
    }
    if (await accepts(port)) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `redis-server did not listen on port ${port} within 10 s: ${output().trim()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
