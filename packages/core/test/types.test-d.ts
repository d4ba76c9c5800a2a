import { describe, expectTypeOf, it } from 'vitest';
import type { BulkAdapter, ItemResult } from '../src/bulk-adapter.js';
import type { BulkReport, ItemOutcome } from '../src/bulk-report.js';
import type { PassedRunBulkOptions, RUN_BULK_OPTION_KEYS } from '../src/pass-run-bulk-options.js';
import { type PollResult, pollUntilDone } from '../src/poll-until-done.js';
import { runBulk } from '../src/run-bulk.js';
import type { RunBulkOptions } from '../src/run-bulk-options.js';

type TicketInput = { id: string; properties: Record<string, string> };
type Ticket = { id: string; updatedAt: string };
declare const adapter: BulkAdapter<TicketInput, Ticket>;
declare const inputs: AsyncIterable<TicketInput>;

describe('types', () => {
  it('passes every runBulk option through but the limiter ones', () => {
    expectTypeOf<
      Exclude<keyof RunBulkOptions<unknown, unknown>, (typeof RUN_BULK_OPTION_KEYS)[number]>
    >().toEqualTypeOf<'limiter' | 'acquireTokens'>();
    expectTypeOf<PassedRunBulkOptions<TicketInput, Ticket>>().toEqualTypeOf<
      Omit<RunBulkOptions<TicketInput, Ticket>, 'limiter' | 'acquireTokens'>
    >();
    expectTypeOf<PassedRunBulkOptions<TicketInput, Ticket, 'batchSize'>>().not.toHaveProperty(
      'batchSize',
    );
  });

  it('types the report and outcomes with the adapter types', () => {
    expectTypeOf(runBulk(inputs, adapter)).resolves.toEqualTypeOf<
      BulkReport<TicketInput, Ticket>
    >();
    runBulk(inputs, adapter, {
      onItem: (outcome) => {
        expectTypeOf(outcome).toEqualTypeOf<ItemOutcome<TicketInput, Ticket>>();
        expectTypeOf(outcome.value).toEqualTypeOf<Ticket | undefined>();
      },
    });
  });

  it('rejects items of another type', () => {
    // @ts-expect-error numbers are not ticket inputs
    runBulk([1, 2, 3], adapter);
  });

  it('requires results of the declared type from send', () => {
    expectTypeOf<ReturnType<BulkAdapter<TicketInput, Ticket>['send']>>().resolves.toEqualTypeOf<
      ItemResult<Ticket>[]
    >();
  });

  it('types the last status of a poll', () => {
    const result = pollUntilDone(async () => ({
      state: 'pending' as const,
      value: { status: 'running' },
    }));
    expectTypeOf(result).resolves.toEqualTypeOf<PollResult<{ status: string }>>();
  });

  it('rejects unknown options', () => {
    // @ts-expect-error not an option
    runBulk(inputs, adapter, { parallel: 3 });
  });
});
