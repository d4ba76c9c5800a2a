/**
 * For each vendor client: one raw call through `client.api` (unwrapped, so an error status
 * throws) and one small bulk operation, built the same way for every fault the security suite
 * provokes.
 */
import { randomUUID } from 'node:crypto';
import { createHubSpotClient, unwrapHubSpot } from '@bulk-clients/hubspot';
import { createMpdxClient, unwrap as unwrapMpdx } from '@bulk-clients/mpdx';
import {
  createThoughtIndustriesClient,
  unwrap as unwrapThoughtIndustries,
} from '@bulk-clients/thought-industries';
import { createVecClient, unwrap as unwrapVec } from '@bulk-clients/vec';

/** A vendor client and the two ways the suite drives it. */
export interface VendorProbe {
  client: object;
  /** One request through the typed client, unwrapped: rejects with the client's error. */
  call(): Promise<unknown>;
  /** A bulk operation of two records, without retries, keeping every outcome. */
  bulk(): Promise<{ outcomes?: readonly { status: string; error?: unknown }[] }>;
}

export type ProbeFactory = (baseUrl: string, token: string) => VendorProbe;

// No retries and no waiting: each fault is seen once, as the caller would get it.
const NO_RETRY = { retries: 0, minDelayMs: 1, maxDelayMs: 1 };
const POLL = { minDelayMs: 5, maxDelayMs: 20, maxWaitMs: 500 };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

export const vendorProbes: Record<string, ProbeFactory> = {
  hubspot: (baseUrl, token) => {
    const client = createHubSpotClient({ token, baseUrl, rateLimit: false });
    return {
      client,
      call: async () =>
        unwrapHubSpot(
          await client.api.POST('/crm/v3/objects/tickets/batch/update', {
            body: { inputs: [{ id: '1', properties: { subject: 'Security probe' } }] },
          }),
        ),
      bulk: () =>
        client.tickets.batchUpdate(
          [
            { id: '1', properties: { subject: 'Security probe' } },
            { id: '2', properties: { subject: 'Security probe' } },
          ],
          { collect: true, retry: NO_RETRY, requestTimeoutMs: 2_000 },
        ),
    };
  },
  'thought-industries': (baseUrl, token) => {
    const client = createThoughtIndustriesClient({ token, baseUrl, rateLimit: false });
    return {
      client,
      call: async () =>
        unwrapThoughtIndustries(
          await client.api.POST('/incoming/v2/content/certificate-templates/bulk/update', {
            body: { templates: [{ id: randomUUID(), title: 'Security probe' }] },
          }),
        ),
      bulk: () =>
        client.certificateTemplates.bulkUpdate(
          [
            { id: randomUUID(), title: 'Security probe' },
            { id: randomUUID(), title: 'Security probe' },
          ],
          { collect: true, retry: NO_RETRY, poll: POLL },
        ),
    };
  },
  vec: (baseUrl, token) => {
    const client = createVecClient({ token, baseUrl, rateLimit: false });
    const entry = (n: number) => ({
      certificate_title: 'Security probe',
      full_name: `Learner ${n}`,
      applicant_email: `probe${n}@example.com`,
      file: PDF,
      fileName: `probe-${n}.pdf`,
    });
    return {
      client,
      call: async () =>
        unwrapVec(
          await client.api.GET('/business/certificate-vault', {
            params: { query: { per_page: 1 } },
          }),
        ),
      bulk: () =>
        client.certificates.bulkCreate([entry(1), entry(2)], {
          collect: true,
          retry: NO_RETRY,
          poll: POLL,
          httpTimeoutMs: 2_000,
        }),
    };
  },
  mpdx: (baseUrl, token) => {
    const client = createMpdxClient({ token, baseUrl, rateLimit: false });
    const accountList = randomUUID();
    return {
      client,
      call: async () => unwrapMpdx(await client.api.GET('/api/v2/account_lists')),
      bulk: () =>
        client.notificationPreferences.bulkCreate(
          accountList,
          [
            { notificationTypeId: randomUUID(), app: true },
            { notificationTypeId: randomUUID(), email: true },
          ],
          { collect: true, retry: NO_RETRY, requestTimeoutMs: 2_000 },
        ),
    };
  },
};
