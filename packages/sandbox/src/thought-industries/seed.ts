import type { SimulatorContext } from '../types.js';
import type { CertificateTemplate, CourseGroup } from './state.js';

const SUBJECTS = [
  'Food safety',
  'Fire warden',
  'First aid',
  'Data protection',
  'Manual handling',
  'Forklift operation',
  'Anti-bribery',
  'Working at height',
  'Customer service',
  'Project management',
  'Cyber security awareness',
  'Leadership essentials',
];
const LEVELS = ['foundation', 'level 1', 'level 2', 'level 3', 'advanced', 'refresher'];
const STATUSES = ['draft', 'published', 'published', 'published', 'archived'];
const EXPIRATIONS = [0, 90, 180, 365, 365, 730, 1095];

export const TEMPLATE_COUNT = 300;

function pick<T>(ctx: SimulatorContext, items: readonly T[]): T {
  return items[Math.floor(ctx.random() * items.length)] as T;
}

/** Seeded certificate templates: same seed, same templates. */
export function seedTemplates(
  ctx: SimulatorContext,
  count = TEMPLATE_COUNT,
): CertificateTemplate[] {
  const templates: CertificateTemplate[] = [];
  for (let index = 0; index < count; index++) {
    const subject = pick(ctx, SUBJECTS);
    const level = pick(ctx, LEVELS);
    const title = `${subject} ${level} #${index + 1}`;
    templates.push({
      id: ctx.uuid(),
      title,
      description: `Awarded on completing ${subject.toLowerCase()} (${level}).`,
      status: pick(ctx, STATUSES),
      body: `<h1>{{learner.name}}</h1><p>has completed ${title}.</p>`,
      expirationDays: pick(ctx, EXPIRATIONS),
    });
  }
  return templates;
}

export const COURSE_GROUP_SLUGS = [
  'onboarding',
  'compliance',
  'sales-enablement',
  'partner-academy',
  'product-training',
  'customer-success',
  'leadership',
  'safety',
];

/** Seeded course groups, one per slug. */
export function seedCourseGroups(ctx: SimulatorContext): CourseGroup[] {
  return COURSE_GROUP_SLUGS.map((slug) => ({
    id: ctx.uuid(),
    slug,
    title: slug
      .split('-')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(' '),
  }));
}

/**
 * Stored import files. `webinars-2024.csv` mixes valid rows with one row for each check that
 * can fail, so a dry run of it shows every reason; `webinars-2025.csv` is all valid.
 */
export const SEEDED_ASSETS: Readonly<Record<string, string>> = {
  'imports/webinars-2024.csv': [
    'courseGroupSlug,title,startsAt,durationMinutes',
    'onboarding,Welcome session,2024-02-01T09:00:00Z,60',
    'compliance,"Data protection, in practice",2024-02-15T14:00:00Z,45',
    'safety,Fire drill walkthrough,2024-03-05T10:30:00Z,30',
    'leadership,Giving feedback,2024-03-19T16:00:00Z,90',
    'onboarding,,2024-02-08T09:00:00Z,60',
    'marketing,Campaign planning,2024-04-02T09:00:00Z,60',
    'sales-enablement,Pricing update,next tuesday,60',
    'product-training,Release walkthrough,2024-05-07T15:00:00Z,0',
    'customer-success,Renewals clinic,2024-05-21T15:00:00Z,sixty',
  ].join('\n'),
  'imports/webinars-2025.csv': [
    'courseGroupSlug,title,startsAt,durationMinutes',
    'partner-academy,Partner kickoff,2025-01-14T17:00:00Z,60',
    'product-training,Roadmap preview,2025-02-11T17:00:00Z,45',
    'customer-success,Adoption playbook,2025-03-11T17:00:00Z,60',
  ].join('\n'),
};
