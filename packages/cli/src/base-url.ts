import { isIP } from 'node:net';
import { normalizeBaseUrl } from '@bulk-clients/core';
import { CliError } from './errors.js';

/** Options of {@link checkBaseUrl}. */
export interface CheckBaseUrlOptions {
  /**
   * Accept plain HTTP to a host that is not loopback (`--allow-insecure`).
   * @default false
   */
  allowInsecure?: boolean;
  /** The flag to name in errors. @default '--base-url' */
  flag?: string;
}

/**
 * Checks a `--base-url`: scheme, host and port only, and HTTPS unless the host is loopback
 * (127.0.0.0/8, ::1, localhost) or `allowInsecure` is set, because the token travels in every
 * request. Returns the origin (no trailing slash); throws a `CliError` naming the flag.
 */
export function checkBaseUrl(value: string, options: CheckBaseUrlOptions = {}): string {
  const flag = options.flag ?? '--base-url';
  let origin: string;
  try {
    origin = normalizeBaseUrl(value, flag);
  } catch (error) {
    throw new CliError('config', (error as Error).message.replace(/`/g, ''), {
      flag,
      cause: error,
    });
  }
  const url = new URL(origin);
  if (url.protocol === 'http:' && !options.allowInsecure && !isLoopbackHost(url.hostname)) {
    throw new CliError(
      'config',
      `${flag} ${origin} is plain HTTP to a host that is not loopback: the token would travel unencrypted. Use https, or add --allow-insecure`,
      { flag },
    );
  }
  return origin;
}

/** Whether a URL hostname (as `URL` normalizes it) is on this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) {
    if (host === '::1') return true;
    // IPv4-mapped loopback, which URL writes in hex: ::ffff:7f00:1 is ::ffff:127.0.0.1.
    const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(host);
    return mapped !== null && Number.parseInt(mapped[1]!, 16) >> 8 === 127;
  }
  return false;
}
