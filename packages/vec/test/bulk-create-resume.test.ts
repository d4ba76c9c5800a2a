/**
 * A run resumed after a crash, with the journal the crashed process left: its `sent` record for
 * the first batch, and (or not) the note of the file ids it uploaded, written before its bulk
 * request. The vault stands in for the crashed process's request: applied before the resume,
 * while the resumed run reads back, or only after the resumed run has finished.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryJournal,
  type JournalRecord,
  rateLimiterOf,
  runBulk,
} from '@bulk-clients/core';
import type { Sandbox } from '@bulk-clients/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { requestEntry } from '../src/certificate-entry.js';
import { fileIdNote, recordedFileIds } from '../src/file-id-note.js';
import {
  type BulkCertificateEntry,
  type Certificate,
  createCertificatesBulkCreateAdapter,
  createVecClient,
} from '../src/index.js';
import {
  certificatesByEmail,
  entries,
  expectAccounted,
  fast,
  startVault,
  token,
  uploadFiles,
} from './bulk-create-helpers.js';

const RUN_ID = 'run-crashed';
const OPERATION = 'vec.certificates.bulkCreate';
const RECORDS = 10;

const sandboxes: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
});

/** The bulk body the crashed process sent (or was about to send) for `records`. */
function crashedBody(inputs: readonly BulkCertificateEntry[], fileIds: readonly string[]) {
  return { entries: inputs.map((entry, at) => requestEntry(entry, fileIds[at]!)) };
}

/** What the crashed process journalled: the batch `[0..RECORDS-1]` sent, and maybe its note. */
function crashedJournal(noted: readonly number[], fileIds: readonly string[]): JournalRecord[] {
  const records: JournalRecord[] = [
    { type: 'start', runId: RUN_ID, operation: OPERATION },
    { type: 'sent', key: `${RUN_ID}:0`, ranges: [[0, RECORDS - 1]] },
  ];
  if (noted.length > 0) {
    records.push({
      type: 'note',
      key: `${RUN_ID}:0`,
      data: fileIdNote(
        noted,
        noted.map((record) => fileIds[record]!),
      ),
    });
  }
  return records;
}

interface Scenario {
  name: string;
  /** Records the crashed process's note names (its request carried them); none: no note. */
  noted: number[];
  /** When the vault applies the crashed process's request, if ever. */
  applied: 'before the resume' | 'during the read-back' | 'after the resumed run' | 'never';
  /** Bulk requests the resumed run makes. */
  bulkRequests: number;
  /** Files the resumed run uploads. */
  uploads: number;
}

const all = Array.from({ length: RECORDS }, (_, record) => record);
const scenarios: Scenario[] = [
  {
    name: 'a note and a request still queued after the resumed run',
    noted: all,
    applied: 'after the resumed run',
    bulkRequests: 1,
    uploads: 0,
  },
  {
    name: 'a note and a request applied while the resumed run reads back',
    noted: all,
    applied: 'during the read-back',
    bulkRequests: 1,
    uploads: 0,
  },
  {
    name: 'a note and a request applied before the resume',
    noted: all,
    applied: 'before the resume',
    bulkRequests: 0,
    uploads: 0,
  },
  {
    name: 'a note naming records 0 to 5 only, and a request never applied',
    noted: all.slice(0, 6),
    applied: 'never',
    bulkRequests: 2,
    uploads: 4,
  },
  {
    name: 'no note: the crashed process never sent its request',
    noted: [],
    applied: 'never',
    bulkRequests: 1,
    uploads: RECORDS,
  },
];

describe.each(scenarios)('a run resumed after a crash, with $name', (scenario) => {
  it('creates each certificate once, reusing the noted files', async () => {
    const sandbox = await startVault({ seed: 21 });
    sandboxes.push(sandbox);
    const setup = createVecClient({ token, baseUrl: sandbox.url, rateLimit: false });
    const inputs = entries(RECORDS);
    // The files the crashed process uploaded before it died.
    const fileIds = await uploadFiles(setup, RECORDS);
    const carried = scenario.noted.length > 0 ? scenario.noted : all;
    const queued = crashedBody(
      carried.map((record) => inputs[record]!),
      carried.map((record) => fileIds[record]!),
    );
    const applyQueued = () => setup.api.POST('/business/certificate-vault/bulk', { body: queued });
    if (scenario.applied === 'before the resume') await applyQueued();

    const filesBefore = sandbox.state.vec!.files.size;
    let bulkRequests = 0;
    const vec = createVecClient({
      token,
      baseUrl: sandbox.url,
      rateLimit: false,
      fetch: async (request) => {
        if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/bulk')) {
          bulkRequests++;
          // The crashed process's request leaves the vault's queue after the read-back found
          // nothing, just before the resumed run's own request.
          if (scenario.applied === 'during the read-back' && bulkRequests === 1) {
            await applyQueued();
          }
        }
        return fetch(request);
      },
    });
    const journal = createMemoryJournal(crashedJournal(scenario.noted, fileIds));
    const adapter = createCertificatesBulkCreateAdapter(vec.api, {
      poll: fast.poll,
      retry: fast.retry,
      httpTimeoutMs: fast.httpTimeoutMs,
    });
    const report = await runBulk<BulkCertificateEntry, Certificate>(inputs, adapter, {
      journal,
      collect: true,
      concurrency: 1,
      requestTimeoutMs: 0,
      limiter: rateLimiterOf(vec.api),
    });
    if (scenario.applied === 'after the resumed run') {
      const late = await applyQueued();
      expect(late.response.status).toBe(422);
    }

    expectAccounted(report, sandbox, RECORDS);
    expect(report).toMatchObject({ succeeded: RECORDS, resumed: 0 });
    const held = certificatesByEmail(sandbox);
    expect(inputs.map((entry) => held.get(entry.applicant_email))).toEqual(inputs.map(() => 1));
    expect(bulkRequests).toBe(scenario.bulkRequests);
    expect(sandbox.state.vec!.files.size - filesBefore).toBe(scenario.uploads);
    // The noted records are backed by the files the crashed process uploaded.
    const fileOf = new Map(
      [...sandbox.state.vec!.certificates.values()].map((certificate) => [
        certificate.entry.applicant_email,
        certificate.entry.file_id,
      ]),
    );
    for (const record of scenario.noted) {
      expect(fileOf.get(inputs[record]!.applicant_email), `record ${record}`).toBe(fileIds[record]);
    }
  });
});

describe('the file id note', () => {
  it('is written before the bulk request, naming each record it carries', async () => {
    const sandbox = await startVault({ seed: 22 });
    sandboxes.push(sandbox);
    const journal = createMemoryJournal();
    let journalAtRequest: JournalRecord[] = [];
    const vec = createVecClient({
      token,
      baseUrl: sandbox.url,
      rateLimit: false,
      fetch: async (request) => {
        if (request.method === 'POST' && new URL(request.url).pathname.endsWith('/bulk')) {
          journalAtRequest = [...journal.records];
        }
        return fetch(request);
      },
    });
    // Entry 1's document cannot be read: it fails at its upload and is not in the request.
    const inputs = entries(3);
    inputs[1] = { ...inputs[1]!, file: join(tmpdir(), 'bulk-clients-missing', 'certificate.pdf') };
    const adapter = createCertificatesBulkCreateAdapter(vec.api, { poll: fast.poll });
    const report = await runBulk(inputs, adapter, {
      journal,
      runId: 'run-noted',
      requestTimeoutMs: 0,
      collect: true,
    });
    expect(report).toMatchObject({ succeeded: 2, failed: 1 });
    expect(report.outcomes?.[1]?.error?.code).toBe('file_unreadable');
    const notes = journalAtRequest.filter((record) => record.type === 'note');
    expect(notes).toHaveLength(1);
    const noted = recordedFileIds(notes.map((record) => record.data));
    expect([...noted.keys()]).toEqual([0, 2]);
    const used = new Set(sandbox.state.vec!.certificatesPerFile.keys());
    for (const fileId of noted.values()) expect(used.has(fileId)).toBe(true);
  });

  it.each([
    ['another shape', [{ batchId: 'b-1' }, 'text', null, [1, 2]]],
    ['an index that is not a number', [{ fileIds: { first: 'f-1' } }]],
    ['a file id that is not a string', [{ fileIds: { '0': 7 } }]],
  ])('ignores notes of %s', (_name, recorded) => {
    expect(recordedFileIds(recorded).size).toBe(0);
  });

  it('reads the file ids of every note, by record', () => {
    const noted = recordedFileIds([fileIdNote([4, 7], ['f-4', 'f-7']), fileIdNote([9], ['f-9'])]);
    expect(Object.fromEntries(noted)).toEqual({ 4: 'f-4', 7: 'f-7', 9: 'f-9' });
  });
});
