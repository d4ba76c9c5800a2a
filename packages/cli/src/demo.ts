/**
 * The product demo: the five vendor operations run through `main`, exactly as `bulk-clients`
 * runs them from a shell, against a sandbox started in this process. Inputs, reports and
 * failed-record files are written under `outDir`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { main } from './main.js';
import { formatCount, formatDuration } from './output/format.js';
import type { CliReport } from './output/summary.js';
import type { TextStream } from './output/text-stream.js';
import { TOKEN_ENV } from './token.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where inputs, reports and failed-record files go (created when missing). */
  outDir: string;
  /**
   * Receives every line the demo prints (progress, problems, the summary table).
   * @default console.log
   */
  log?: ((line: string) => void) | undefined;
  /**
   * HubSpot ticket updates to send (the sandbox holds tickets 1 to 5000).
   * @default 3000
   */
  tickets?: number | undefined;
}

/** How one step of the demo ended. */
export interface DemoStep {
  /** The command line, without the program name. */
  command: string;
  exitCode: number;
  /** The `--json` report (`undefined` when the command printed none). */
  report: CliReport | undefined;
  /** Paths of the files the step wrote. */
  files: { report: string; failedOut: string };
}

const TOKEN = 'sandbox-token';
// A fixed PDF that the vault accepts (it checks the first bytes).
const PDF = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';

/**
 * Runs the demo and resolves with each step. Expected problems (invalid rows, unknown tickets,
 * rows the vendor refuses) make their steps end with exit code 1 by design; the demo itself only
 * throws when something unexpected happens.
 *
 * @example
 * const steps = await runDemo({ outDir: 'out' });
 */
export async function runDemo(options: DemoOptions): Promise<DemoStep[]> {
  if (!options || typeof options.outDir !== 'string' || options.outDir === '') {
    throw new TypeError('Expected `options.outDir` to be a non-empty path');
  }
  const log = options.log ?? ((line: string) => console.log(line));
  const tickets = options.tickets ?? 3000;
  const { outDir } = options;
  const inputs = join(outDir, 'inputs');
  await mkdir(join(inputs, 'pdf'), { recursive: true });

  const sandbox = await startSandbox({ token: TOKEN, seed: 1, jobMs: 150 });
  log(`Sandbox of the four APIs on ${sandbox.url}`);
  const steps: DemoStep[] = [];
  try {
    const run = async (name: string, argv: string[]): Promise<DemoStep> => {
      const files = {
        report: join(outDir, `${name}.report.json`),
        failedOut: join(outDir, `${name}.failed.jsonl`),
      };
      const full = [
        ...argv,
        '--base-url',
        sandbox.url,
        '--report',
        files.report,
        '--failed-out',
        files.failedOut,
        '--json',
      ];
      log('');
      log(`$ bulk-clients ${full.join(' ')}`);
      let stdout = '';
      const stderr: TextStream = { write: (text: string) => logLines(log, text) };
      const exitCode = await main(full, {
        io: {
          stdout: { write: (text: string) => (stdout += text) },
          stderr,
          env: Object.fromEntries(Object.values(TOKEN_ENV).map((name) => [name, TOKEN])),
        },
      });
      const step = { command: full.join(' '), exitCode, report: parseReport(stdout), files };
      steps.push(step);
      return step;
    };

    await hubspotStep(sandbox, inputs, tickets, run);
    await thoughtIndustriesSteps(sandbox, inputs, run);
    await vaultStep(inputs, run);
    await mpdxStep(sandbox, inputs, run);
  } finally {
    await sandbox.close();
  }
  log('');
  for (const line of summaryTable(steps)) log(line);
  log('');
  log(`Reports and failed records are in ${outDir}`);
  return steps;
}

type RunStep = (name: string, argv: string[]) => Promise<DemoStep>;

/**
 * Ticket updates with invalid rows, unknown tickets (a 207), and a budget far below the one the
 * command is told: HubSpot's rate-limit headers lower it.
 */
async function hubspotStep(sandbox: Sandbox, inputs: string, count: number, run: RunStep) {
  const rows = ['id,subject,hs_ticket_priority'];
  const priorities = ['LOW', 'MEDIUM', 'HIGH'];
  for (let n = 1; n <= count; n++) {
    if (n % 500 === 0) rows.push(`,Row without a ticket id ${n},LOW`);
    if (n % 750 === 0) rows.push(`${900_000 + n},Ticket that does not exist,HIGH`);
    rows.push(`${n},Reviewed in the quarterly clean-up,${priorities[n % 3]}`);
  }
  rows.push('42,"A quote that never closes,LOW');
  const path = join(inputs, 'tickets.csv');
  await writeFile(path, `${rows.join('\n')}\n`);
  // HubSpot allows 8 requests per rolling second here, and says so in every answer: the command,
  // told 1000 per second, follows the headers from the first answer on instead of meeting 429s.
  sandbox.faults.set(
    { rateLimit: { requests: 8, perMs: 1000, mode: 'rolling' } },
    { vendor: 'hubspot' },
  );
  try {
    await run('hubspot-tickets-update', [
      'hubspot',
      'tickets-update',
      '--input',
      path,
      '--rate-limit',
      '1000/1000',
    ]);
  } finally {
    sandbox.faults.reset();
  }
}

/** Template updates, then a webinar import: a dry run, then the real import of a clean file. */
async function thoughtIndustriesSteps(sandbox: Sandbox, inputs: string, run: RunStep) {
  const ids = [...(sandbox.state.thoughtIndustries?.templates.keys() ?? [])];
  const lines = ids.map((id, n) =>
    JSON.stringify({ id, status: 'published', expirationDays: 365 + (n % 3) * 365 }),
  );
  lines.splice(5, 0, JSON.stringify({ id: ids[0], expirationDays: 'one year' }));
  lines.splice(9, 0, JSON.stringify({ title: 'A template without its id' }));
  const path = join(inputs, 'templates.jsonl');
  await writeFile(path, `${lines.join('\n')}\n`);
  const fast = ['--rate-limit', '1000/1000', '--poll-interval', '50'];
  await run('thought-industries-templates-update', [
    'thought-industries',
    'templates-update',
    '--input',
    path,
    ...fast,
  ]);
  await run('thought-industries-webinar-import-dry-run', [
    'thought-industries',
    'webinar-import',
    '--asset-path',
    'imports/webinars-2024.csv',
    '--dry-run',
    ...fast,
  ]);
  await run('thought-industries-webinar-import', [
    'thought-industries',
    'webinar-import',
    '--asset-path',
    'imports/webinars-2025.csv',
    ...fast,
  ]);
}

/** Vault uploads, bulk create and batch polling, with rows the CLI refuses before sending. */
async function vaultStep(inputs: string, run: RunStep) {
  const rows = ['certificate_title,full_name,applicant_email,issue_date,details,file'];
  for (let n = 1; n <= 60; n++) {
    const file = `certificate-${n}.pdf`;
    await writeFile(join(inputs, 'pdf', file), PDF);
    rows.push(
      `Fire warden,Learner ${n},learner${n}@example.com,2026-03-${String((n % 28) + 1).padStart(2, '0')},Course ${n},${file}`,
    );
  }
  rows.push('Fire warden,Mallory,mallory@example.com,2026-03-01,,../../etc/passwd');
  rows.push('Fire warden,Nobody,not-an-email,2026-03-01,,certificate-1.pdf');
  const path = join(inputs, 'certificates.csv');
  await writeFile(path, `${rows.join('\n')}\n`);
  await run('vec-vault-create', [
    'vec',
    'vault-create',
    '--input',
    path,
    '--files-dir',
    join(inputs, 'pdf'),
    '--batch-size',
    '20',
    '--rate-limit',
    '1000/1000',
    '--poll-interval',
    '50',
  ]);
}

/** Notification preferences for one account list, with a cell MPDX cannot take. */
async function mpdxStep(sandbox: Sandbox, inputs: string, run: RunStep) {
  const state = sandbox.state.mpdx;
  const accountList = [...(state?.accountLists.keys() ?? [])][0] ?? '';
  const types = [...(state?.notificationTypes.keys() ?? [])];
  const flags = ['yes', 'no', 'true', 'false', '1', '0'];
  const rows = ['notification_type_id,app,email,task'];
  for (let n = 0; n < 650; n++) {
    rows.push(
      `${types[n % types.length]},${flags[n % 6]},${flags[(n + 1) % 6]},${flags[(n + 2) % 6]}`,
    );
  }
  rows.splice(100, 0, `${types[0]},sometimes,yes,no`);
  const path = join(inputs, 'preferences.csv');
  await writeFile(path, `${rows.join('\n')}\n`);
  await run('mpdx-preferences-create', [
    'mpdx',
    'preferences-create',
    '--input',
    path,
    '--account-list',
    accountList,
    '--rate-limit',
    '1000/1000',
  ]);
}

function logLines(log: (line: string) => void, text: string): void {
  for (const line of text.replace(/\n$/, '').split('\n')) log(`  ${line}`);
}

function parseReport(stdout: string): CliReport | undefined {
  try {
    return JSON.parse(stdout) as CliReport;
  } catch {
    return undefined;
  }
}

/** The table printed at the end: one row per step. */
export function summaryTable(steps: readonly DemoStep[]): string[] {
  const header = [
    'operation',
    'total',
    'succeeded',
    'failed',
    'invalid',
    'unknown',
    'requests',
    'retries',
    '429s',
    'time',
    'exit',
  ];
  const rows = steps.map((step) => {
    const r = step.report;
    const name = r ? `${r.api} ${r.operation}${r.dryRun ? ' (dry run)' : ''}` : step.command;
    if (!r) return [name, '', '', '', '', '', '', '', '', '', String(step.exitCode)];
    return [
      name,
      formatCount(r.total),
      formatCount(r.succeeded),
      formatCount(r.failed),
      formatCount(r.invalid),
      formatCount(r.unknown),
      formatCount(r.requests),
      formatCount(r.retries),
      formatCount(r.throttled ?? 0),
      formatDuration(r.durationMs),
      String(step.exitCode),
    ];
  });
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}
