/** Certificates already in the vault before any test or demo writes: same seed, same vault. */
import type { SimulatorContext } from '../types.js';
import { newCertificate } from './bulk.js';
import type { VecState } from './state.js';

const FIRST_NAMES = [
  'Amara',
  'Ben',
  'Chen',
  'Dalia',
  'Emil',
  'Fatima',
  'Goran',
  'Hana',
  'Ivan',
  'Julia',
];
const LAST_NAMES = [
  'Okafor',
  'Schmidt',
  'Li',
  'Haddad',
  'Nilsson',
  'Rahman',
  'Petrov',
  'Sato',
  'Costa',
];
const TITLES = [
  'Certificate of Achievement',
  'Certificate of Completion',
  'Food Safety Level 2',
  'First Aid at Work',
  'Fire Warden Training',
  'Data Protection Essentials',
];
const DAY_MS = 86_400_000;

export const SEEDED_CERTIFICATES = 24;

function pick<T>(ctx: SimulatorContext, items: readonly T[]): T {
  return items[Math.floor(ctx.random() * items.length)] as T;
}

/**
 * Adds `count` settled, manually uploaded certificates (each with its own file) dated in the
 * days before `ctx.now()`: mostly generated, some revoked, a few failed.
 */
export function seedVault(
  state: VecState,
  ctx: SimulatorContext,
  count = SEEDED_CERTIFICATES,
): void {
  const now = ctx.now();
  for (let index = 0; index < count; index++) {
    const first = pick(ctx, FIRST_NAMES);
    const last = pick(ctx, LAST_NAMES);
    const createdAt = now - (count - index) * DAY_MS;
    const fileId = ctx.uuid();
    const fileName = `${first}-${last}.pdf`.toLowerCase();
    state.files.set(fileId, {
      fileId,
      fileName,
      mimeType: 'application/pdf',
      size: 40_000 + Math.floor(ctx.random() * 200_000),
      uploadedAt: createdAt,
    });
    const roll = ctx.random();
    const certificate = newCertificate(
      state,
      ctx,
      {
        certificate_title: pick(ctx, TITLES),
        full_name: `${first} ${last}`,
        applicant_email: `${first}.${last}@example.com`.toLowerCase(),
        file_id: fileId,
        issue_date: new Date(createdAt).toISOString().slice(0, 10),
      },
      {
        batchId: null,
        now: createdAt,
        startsAt: createdAt + 30_000,
        settlesAt: createdAt + 60_000,
        outcome: roll < 0.1 ? 'failed' : 'generated',
        source: 'manual',
      },
    );
    if (roll > 0.9) certificate.revokedAt = Math.min(createdAt + 7 * DAY_MS, now);
  }
}
