/** What the MPDX simulator stores, and the seeded data it starts with. */
import type { SimulatorContext } from '../types.js';

export interface MpdxAccountList {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface MpdxNotificationType {
  id: string;
  /** Stable machine name, e.g. `larger_gift`. */
  name: string;
  description: string;
  createdAt: number;
  updatedAt: number;
}

export interface MpdxPreferenceRecord {
  /** The client-generated uuid. */
  id: string;
  accountListId: string;
  notificationTypeId: string;
  app: boolean;
  email: boolean;
  task: boolean;
  createdAt: number;
  updatedAt: number;
}

/** The simulator's state, readable by tests. */
export interface MpdxState {
  accountLists: Map<string, MpdxAccountList>;
  notificationTypes: Map<string, MpdxNotificationType>;
  /** Every stored preference by id, across all account lists. */
  preferences: Map<string, MpdxPreferenceRecord>;
  /**
   * How many times each preference id was written. Anything above 1 means a preference was
   * created twice: the number a retrying client must keep at 1.
   */
  writeCounts: Map<string, number>;
}

const ACCOUNT_LIST_NAMES = ['Staff account', 'Ministry partners', 'Family support'];

// Events MPDX notifies about, as its users know them.
const NOTIFICATION_TYPES: readonly [name: string, description: string][] = [
  ['call_partner_once_per_year', 'A partner has not been called in a year.'],
  ['larger_gift', 'A partner gave more than usual.'],
  ['long_time_frame_gift', 'A partner who gives yearly or less often gave.'],
  ['missing_address_in_newsletter', 'A newsletter recipient has no mailing address.'],
  ['missing_email_in_newsletter', 'An email newsletter recipient has no email address.'],
  ['recontinuing_gift', 'A partner who had stopped giving gave again.'],
  ['smaller_gift', 'A partner gave less than usual.'],
  ['special_gift', 'A partner gave a one-time special gift.'],
  ['started_giving', 'A new partner gave for the first time.'],
  ['stopped_giving', 'A regular partner missed their gifts.'],
  ['thank_partner_once_per_year', 'A partner has not been thanked in a year.'],
  ['upcoming_anniversary', "A partner's wedding anniversary is coming up."],
  ['upcoming_birthday', "A partner's birthday is coming up."],
];

const DAY_MS = 24 * 60 * 60 * 1000;

/** Builds the starting state from the context's seeded PRNG and clock. */
export function seedMpdxState(ctx: SimulatorContext): MpdxState {
  const now = ctx.now();
  // Seeded records look as if they were made some time in the past year.
  const pastTime = () => now - Math.floor(ctx.random() * 365) * DAY_MS;
  const accountLists = new Map<string, MpdxAccountList>();
  for (const name of ACCOUNT_LIST_NAMES) {
    const createdAt = pastTime();
    const id = ctx.uuid();
    accountLists.set(id, { id, name, createdAt, updatedAt: createdAt });
  }
  const notificationTypes = new Map<string, MpdxNotificationType>();
  for (const [name, description] of NOTIFICATION_TYPES) {
    const createdAt = pastTime();
    const id = ctx.uuid();
    notificationTypes.set(id, { id, name, description, createdAt, updatedAt: createdAt });
  }
  return { accountLists, notificationTypes, preferences: new Map(), writeCounts: new Map() };
}
