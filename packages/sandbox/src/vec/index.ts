/**
 * The VEC.digital certificate vault simulator: uploads, bulk creation processed in the
 * background over `ctx.jobMs()`, the list and read endpoints, retries and batch status.
 */
import type {
  Route,
  SandboxRequest,
  SimulatorContext,
  SimulatorOptions,
  VendorRateLimitPolicy,
  VendorSimulator,
} from '../types.js';
import { xRateLimitHeaders } from '../x-rate-limit-headers.js';
import { getBatchStatus } from './batches.js';
import { bulkCreate } from './bulk.js';
import { getCertificate, listCertificates, retryCertificate } from './certificates.js';
import { forbidden, messageError, vaultError, vaultInvalid } from './errors.js';
import { SEEDED_CERTIFICATES, seedVault } from './seed.js';
import { createVecState, type VecState } from './state.js';
import { uploadFile } from './upload.js';

export type { VecState } from './state.js';

/** Options of {@link createVecSimulator} beyond those every simulator receives. */
export interface VecSimulatorOptions extends SimulatorOptions {
  /**
   * Share of certificates whose generation fails on its own, drawn from the seeded PRNG (the
   * fault layer's `jobFailureRate` adds failures on top).
   * @default 0
   * @example 0.1
   */
  failureRate?: number | undefined;
  /**
   * Settled certificates already in the vault when the simulator starts.
   * @default 24
   */
  seededCertificates?: number | undefined;
}

/**
 * Inferred: VEC documents no limit. Its API is a Laravel application, whose throttle counts
 * requests per fixed window and answers a 429 with `Retry-After` and `X-RateLimit-Reset`, the
 * headers the spec declares on the 429 only.
 */
export const VEC_RATE_LIMIT_POLICY: VendorRateLimitPolicy = {
  mode: 'fixed',
  retryAfter: true,
  everyResponse: false,
};

/** The permission each route needs, as `METHOD path`. */
export const ROUTE_PERMISSIONS: Readonly<Record<string, string>> = Object.freeze({
  'POST /business/certificate-vault/upload-file': 'certificate-vault:create',
  'POST /business/certificate-vault/bulk': 'certificate-vault:create',
  'GET /business/certificate-vault': 'certificate-vault:list',
  'GET /business/certificate-vault/{uuid}': 'certificate-vault:view',
  'POST /business/certificate-vault/{uuid}/retry': 'certificate-vault:update',
  'GET /business/batches/{batchId}/status': 'certificate-vault:list',
});

export function createVecSimulator(
  ctx: SimulatorContext,
  options: VecSimulatorOptions,
): VendorSimulator<VecState> {
  if (!options || typeof options.token !== 'string' || options.token === '') {
    throw new TypeError('Expected `options.token` of the vault simulator to be a non-empty string');
  }
  const failureRate = options.failureRate ?? 0;
  if (typeof failureRate !== 'number' || !(failureRate >= 0 && failureRate <= 1)) {
    throw new TypeError(
      `Expected \`failureRate\` to be a number from 0 to 1, got ${String(failureRate)}`,
    );
  }
  const seeded = options.seededCertificates ?? SEEDED_CERTIFICATES;
  if (!Number.isInteger(seeded) || seeded < 0) {
    throw new TypeError(
      `Expected \`seededCertificates\` to be a whole number, got ${String(seeded)}`,
    );
  }
  const processing = { failureRate };
  const state = createVecState();
  seedVault(state, ctx, seeded);

  const routes: Route[] = [
    {
      method: 'POST',
      path: '/business/certificate-vault/upload-file',
      // The vendor reports a bad upload per field (`errors.file`); the handler checks the file.
      validateRequest: false,
      handle: uploadFile(state, ctx),
    },
    {
      method: 'POST',
      path: '/business/certificate-vault/bulk',
      // Every problem of the batch is reported as `Entry N: ...`, which the handler builds.
      validateRequest: false,
      handle: bulkCreate(state, ctx, processing),
    },
    { method: 'GET', path: '/business/certificate-vault', handle: listCertificates(state, ctx) },
    {
      method: 'GET',
      path: '/business/certificate-vault/{uuid}',
      handle: getCertificate(state, ctx),
    },
    {
      method: 'POST',
      path: '/business/certificate-vault/{uuid}/retry',
      handle: retryCertificate(state, ctx, processing),
    },
    {
      method: 'GET',
      path: '/business/batches/{batchId}/status',
      handle: getBatchStatus(state, ctx),
    },
  ];

  return {
    name: 'vec',
    prefixes: ['/business/'],
    mediaType: 'application/json',
    routes,
    state,
    authorize(request: SandboxRequest, route: Route) {
      if (request.token !== options.token)
        return messageError(401, 'Unauthorized - Invalid API token');
      const permission = ROUTE_PERMISSIONS[`${route.method} ${route.path}`];
      if (permission !== undefined && !state.permissions.has(permission))
        return forbidden(permission);
      return undefined;
    },
    error: vaultError,
    invalid: vaultInvalid,
    rateLimitHeaders: xRateLimitHeaders,
    rateLimitPolicy: VEC_RATE_LIMIT_POLICY,
  };
}
