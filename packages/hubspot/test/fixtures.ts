import type {
  HubSpotErrorBody,
  HubSpotRateLimitErrorBody,
  Ticket,
  TicketBatchResult,
  TicketBatchResultWithErrors,
  TicketUpsertResult,
  TicketUpsertResultWithErrors,
  TicketWithAssociations,
} from '../src/index.js';

export const TOKEN = 'sandbox-token';

export function ticket(id: string, properties: Record<string, string | null> = {}): Ticket {
  return {
    id,
    archived: false,
    createdAt: '2019-10-30T03:30:17.883Z',
    updatedAt: '2024-05-01T09:00:00.000Z',
    properties: {
      hs_object_id: id,
      createdate: '2019-10-30T03:30:17.883Z',
      hs_lastmodifieddate: '2024-05-01T09:00:00.000Z',
      ...properties,
    },
  };
}

const times = {
  requestedAt: '2024-05-01T09:00:00.000Z',
  startedAt: '2024-05-01T09:00:00.000Z',
  completedAt: '2024-05-01T09:00:00.120Z',
};

export function batchResult(results: Ticket[]): TicketBatchResult {
  return { status: 'COMPLETE', results, ...times };
}

export function batchResultWithErrors(
  results: Ticket[],
  failedIds: string[],
): TicketBatchResultWithErrors {
  return {
    status: 'COMPLETE',
    results,
    numErrors: 1,
    errors: [
      {
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        message: 'Could not get some TICKET objects, they may be deleted or not exist.',
        context: { ids: failedIds },
        errors: [],
        links: {},
      },
    ],
    ...times,
  };
}

export function upsertResult(id: string, created: boolean): TicketUpsertResult {
  return { status: 'COMPLETE', results: [{ ...ticket(id), new: created }], ...times };
}

export function upsertResultWithErrors(failedIds: string[]): TicketUpsertResultWithErrors {
  return { ...batchResultWithErrors([], failedIds), results: [] };
}

export function ticketWithAssociations(id: string): TicketWithAssociations {
  return {
    ...ticket(id, { subject: 'Printer on floor 3 is jammed', content: null }),
    associations: { contacts: { results: [{ id: '201', type: 'ticket_to_contact' }] } },
  };
}

export const errorBodies = {
  400: {
    status: 'error',
    message: 'Duplicate IDs found in batch input: [512]. IDs must be unique',
    correlationId: '0b3a2f1e-7c4d-4e5f-8a6b-9c0d1e2f3a4b',
    category: 'VALIDATION_ERROR',
    context: { ids: ['512'] },
  },
  401: {
    status: 'error',
    message: 'Authentication credentials not found.',
    correlationId: '2d7e1c3b-4a5f-4b6c-8d7e-9f0a1b2c3d4e',
    category: 'INVALID_AUTHENTICATION',
  },
  404: {
    status: 'error',
    message: 'Ticket 999999 was not found',
    correlationId: '6f1c2a48-3b9e-4d3f-9a57-0c2f6a3e2b10',
    category: 'OBJECT_NOT_FOUND',
  },
  500: {
    status: 'error',
    message: 'An internal error occurred.',
    correlationId: '4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b',
    category: 'INTERNAL_ERROR',
  },
} satisfies Record<number, HubSpotErrorBody>;

export const rateLimitBody: HubSpotRateLimitErrorBody = {
  status: 'error',
  message: 'You have reached your secondly limit.',
  errorType: 'RATE_LIMIT',
  correlationId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  policyName: 'SECONDLY',
  requestId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
};

export const rateLimitHeaders = {
  'X-HubSpot-RateLimit-Max': '100',
  'X-HubSpot-RateLimit-Remaining': '0',
  'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
  'X-HubSpot-RateLimit-Daily': '250000',
  'X-HubSpot-RateLimit-Daily-Remaining': '249000',
};
