/**
 * The jobs the crash trials run: for each vendor operation, how its input is written, the command
 * line, and how the sandbox's state tells how many times each record was written.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deriveItemId } from '@bulk-clients/core';
import type { Sandbox } from '@bulk-clients/sandbox';

/** One job a trial runs, kills and resumes. */
export interface CrashJob {
  /** `hubspot tickets-update`, as in the table. */
  label: string;
  /** How many records the input holds (invalid ones included). */
  records: number;
  /** Line of the record at index 0: 2 in a CSV file (after the header), 1 in JSONL. */
  firstLine: number;
  /** Indexes (0-based, in input order: the engine's index) of records invalid on purpose. */
  invalid: ReadonlySet<number>;
  /** The command line, without `--journal`, `--resume` and the output files. */
  args: readonly string[];
  /**
   * Whether a record whose batch was in flight at a kill may be written again by the resumed run.
   * True for updates (idempotent: the same values land twice); creates must stay at one write.
   */
  rewriteInFlight: boolean;
  /** Records written by this job so far, as the sandbox counts them (progress for kill moments). */
  progress(): number;
  /** How many times the record at each index was written by this job, read from the sandbox now. */
  writes(runId: string): (index: number) => number;
  /** Problems with the final state beyond write counts (values, stray writes). */
  finalProblems(runId: string): string[];
}

/** Indexes `step - 1`, `2 * step - 1`, ... below `records`: the invalid records of a job. */
function everyNth(records: number, step: number): Set<number> {
  const indexes = new Set<number>();
  for (let index = step - 1; index < records; index += step) indexes.add(index);
  return indexes;
}

async function writeCsv(path: string, header: string, rows: readonly string[]): Promise<void> {
  await writeFile(path, `${header}\n${rows.join('\n')}\n`);
}

/**
 * Updates tickets 1..`records` (the sandbox must seed that many), each with a subject naming the
 * trial. Every 1000th record has a blank id: invalid, never sent.
 */
export async function hubspotTicketsUpdate(
  sandbox: Sandbox,
  dir: string,
  trial: string,
  records: number,
): Promise<CrashJob> {
  const hubspot = sandbox.state.hubspot!;
  const invalid = everyNth(records, 1000);
  const subjectOf = (index: number) => `Crash ${trial} #${index + 1}`;
  const rows = Array.from({ length: records }, (_, index) =>
    invalid.has(index) ? `,${subjectOf(index)},LOW` : `${index + 1},${subjectOf(index)},HIGH`,
  );
  const input = join(dir, 'tickets.csv');
  await writeCsv(input, 'id,subject,hs_ticket_priority', rows);
  const baseline = new Map(hubspot.writeCounts);
  const logStart = hubspot.writeLog.length;
  const writesOf = (id: string) => (hubspot.writeCounts.get(id) ?? 0) - (baseline.get(id) ?? 0);
  return {
    label: 'hubspot tickets-update',
    records,
    firstLine: 2,
    invalid,
    args: ['hubspot', 'tickets-update', '--base-url', sandbox.url, '--input', input],
    rewriteInFlight: true,
    progress: () => hubspot.writeLog.length - logStart,
    writes: () => (index) => writesOf(String(index + 1)),
    finalProblems: () => {
      const problems: string[] = [];
      for (let index = 0; index < records; index++) {
        const subject = hubspot.tickets.get(String(index + 1))?.properties.subject;
        if (invalid.has(index)) {
          if (writesOf(String(index + 1)) !== 0) problems.push(`ticket ${index + 1} was written`);
        } else if (subject !== subjectOf(index)) {
          problems.push(`ticket ${index + 1} holds "${subject}"`);
        }
      }
      return problems;
    },
  };
}

/**
 * Creates `records` MPDX notification preferences in the first account list, without ids: the
 * command derives them from the run id and the index. Every 1000th record has `app` = "maybe".
 */
export async function mpdxPreferencesCreate(
  sandbox: Sandbox,
  dir: string,
  records: number,
): Promise<CrashJob> {
  const mpdx = sandbox.state.mpdx!;
  const accountList = [...mpdx.accountLists.keys()][0]!;
  const types = [...mpdx.notificationTypes.keys()];
  const invalid = everyNth(records, 1000);
  const flags = ['true', 'false', 'yes', 'no', '1', '0'];
  const rows = Array.from(
    { length: records },
    (_, index) =>
      `${types[index % types.length]},${invalid.has(index) ? 'maybe' : flags[index % 6]},${flags[(index + 1) % 6]},${flags[(index + 2) % 6]}`,
  );
  const input = join(dir, 'preferences.csv');
  await writeCsv(input, 'notification_type_id,app,email,task', rows);
  const before = new Set(mpdx.preferences.keys());
  return {
    label: 'mpdx preferences-create',
    records,
    firstLine: 2,
    invalid,
    args: [
      'mpdx',
      'preferences-create',
      '--base-url',
      sandbox.url,
      '--account-list',
      accountList,
      '--input',
      input,
    ],
    rewriteInFlight: false,
    progress: () => mpdx.preferences.size - before.size,
    writes: (runId) => (index) => mpdx.writeCounts.get(deriveItemId(runId, index)) ?? 0,
    finalProblems: (runId) => {
      const ours = new Set<string>();
      for (let index = 0; index < records; index++) ours.add(deriveItemId(runId, index));
      const stray = [...mpdx.preferences.keys()].filter((id) => !before.has(id) && !ours.has(id));
      return stray.length > 0
        ? [`${stray.length} preferences with ids not derived from the run`]
        : [];
    },
  };
}

/**
 * Updates the title of the first `records` seeded Thought Industries certificate templates (300
 * are seeded). Every 100th record has a bad `expirationDays`.
 */
export async function thoughtIndustriesTemplatesUpdate(
  sandbox: Sandbox,
  dir: string,
  trial: string,
  records: number,
): Promise<CrashJob> {
  const ti = sandbox.state.thoughtIndustries!;
  const ids = [...ti.templates.keys()].slice(0, records);
  if (ids.length < records) throw new RangeError(`only ${ids.length} templates are seeded`);
  const invalid = everyNth(records, 100);
  const titleOf = (index: number) => `Crash ${trial} #${index}`;
  const lines = ids.map((id, index) =>
    JSON.stringify(
      invalid.has(index)
        ? { id, title: titleOf(index), expirationDays: 'a year' }
        : { id, title: titleOf(index) },
    ),
  );
  const input = join(dir, 'templates.jsonl');
  await writeFile(input, `${lines.join('\n')}\n`);
  const baseline = new Map(ti.writeCounts);
  const writesOf = (index: number) =>
    (ti.writeCounts.get(ids[index]!) ?? 0) - (baseline.get(ids[index]!) ?? 0);
  return {
    label: 'thought-industries templates-update',
    records,
    firstLine: 1,
    invalid,
    args: ['thought-industries', 'templates-update', '--base-url', sandbox.url, '--input', input],
    rewriteInFlight: true,
    progress: () => ids.reduce((sum, _, index) => sum + writesOf(index), 0),
    writes: () => writesOf,
    finalProblems: () =>
      ids.flatMap((id, index) =>
        !invalid.has(index) && ti.templates.get(id)?.title !== titleOf(index)
          ? [`template ${id} holds "${ti.templates.get(id)?.title}"`]
          : [],
      ),
  };
}

// The smallest document the vault's upload accepts as a PDF.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/**
 * Creates `records` vault certificates, each for its own applicant email. With `documents:
 * 'file_id'` the files are registered in the sandbox beforehand (as if uploaded earlier); with
 * `'file'` each record names a PDF under `--files-dir`, uploaded by the command. Every 1000th
 * record has an invalid email.
 */
export async function vecVaultCreate(
  sandbox: Sandbox,
  dir: string,
  trial: string,
  records: number,
  documents: 'file_id' | 'file',
): Promise<CrashJob> {
  const vec = sandbox.state.vec!;
  const invalid = everyNth(records, 1000);
  const slug = trial.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const emailOf = (index: number) => `${slug}-r${index}@crash.example.com`;
  const files = join(dir, 'pdf');
  await mkdir(files);
  const rows: string[] = [];
  for (let index = 0; index < records; index++) {
    let document: string;
    if (documents === 'file') {
      document = `c-${index}.pdf`;
      await writeFile(join(files, document), PDF);
    } else {
      document = randomUUID();
      vec.files.set(document, {
        fileId: document,
        fileName: `c-${index}.pdf`,
        mimeType: 'application/pdf',
        size: PDF.length,
        uploadedAt: Date.now(),
      });
    }
    const email = invalid.has(index) ? `not-an-email-${index}` : emailOf(index);
    rows.push(`Crash ${trial},Learner ${index},${email},2026-05-01,${document}`);
  }
  const input = join(dir, 'certificates.csv');
  await writeCsv(
    input,
    `certificate_title,full_name,applicant_email,issue_date,${documents}`,
    rows,
  );
  const before = vec.certificates.size;
  const countByEmail = () => {
    const counts = new Map<string, number>();
    for (const certificate of vec.certificates.values()) {
      const email = certificate.entry.applicant_email;
      counts.set(email, (counts.get(email) ?? 0) + 1);
    }
    return counts;
  };
  return {
    label: `vec vault-create (${documents})`,
    records,
    firstLine: 2,
    invalid,
    args: [
      'vec',
      'vault-create',
      '--base-url',
      sandbox.url,
      '--input',
      input,
      '--files-dir',
      files,
    ],
    rewriteInFlight: false,
    progress: () => vec.certificates.size - before,
    writes: () => {
      const counts = countByEmail();
      return (index) => counts.get(emailOf(index)) ?? 0;
    },
    finalProblems: () => {
      const reused = [...vec.certificatesPerFile.values()].filter((count) => count > 1).length;
      return reused > 0 ? [`${reused} files back more than one certificate`] : [];
    },
  };
}
