/** What the Thought Industries simulator remembers between requests. */

/** A certificate template as the simulated instance stores it. */
export interface CertificateTemplate {
  id: string;
  title: string;
  description: string;
  status: string;
  body: string;
  expirationDays: number;
  /** Further fields a client sent; the API passes them through. */
  [field: string]: unknown;
}

/** A course group webinars are imported into, found by its slug in import files. */
export interface CourseGroup {
  id: string;
  slug: string;
  title: string;
}

/** A webinar created by an import job. */
export interface Webinar {
  id: string;
  courseGroupId: string;
  title: string;
  startsAt: string;
  durationMinutes: number;
  /** The file it was imported from. */
  assetPath: string;
}

/** A background job and what it does when its time is up. */
export interface SimulatedJob {
  id: string;
  type: string;
  description: string;
  /** Clock ms when the job was created. */
  createdAt: number;
  /** Clock ms the job takes to reach a final status. */
  durationMs: number;
  /** Decided when the job is created, so a poll never changes its fate. */
  willFail: boolean;
  /** Set once the job's final status has been reached and its effect applied. */
  settled: boolean;
  /** Writes the job's changes to the state; not called for a failing job. */
  apply(): void;
}

/** The simulator's data, as handlers and jobs read and write it. */
export interface ThoughtIndustriesStore {
  /** Certificate templates by id. */
  readonly templates: Map<string, CertificateTemplate>;
  /** How many times each template was written (created or updated) by a completed job. */
  readonly writeCounts: Map<string, number>;
  /** Background jobs by id. */
  readonly jobs: Map<string, SimulatedJob>;
  /** Course groups by slug. */
  readonly courseGroups: Map<string, CourseGroup>;
  /** Webinars created by completed imports, by the asset path they came from. */
  readonly webinarsByAsset: Map<string, Webinar[]>;
  /** Stored files by path (CSV text). Add one with `assets.set(path, csv)` to import it. */
  readonly assets: Map<string, string>;
}

/**
 * Readable state of the simulator. Jobs apply their writes when their time is up; every getter
 * settles due jobs first, so a test that advances the clock sees the writes without a request.
 */
export interface ThoughtIndustriesState extends ThoughtIndustriesStore {
  /** Applies the writes of every job whose time is up, in creation order. */
  settle(): void;
}
