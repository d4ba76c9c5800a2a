import type { SimulatorContext } from '../types.js';
import type { SimulatedJob } from './state.js';

export type BackgroundJobStatus = 'pending' | 'running' | 'complete' | 'failed';

/** A job as the API returns it (`BackgroundJob` in the spec). */
export interface BackgroundJobView {
  id: string;
  type: string;
  description: string;
  errorMessage?: string;
  createdAt: string;
  repeatable: boolean;
  status: BackgroundJobStatus;
}

export const JOB_FAILURE_MESSAGE =
  'The background worker stopped before finishing the batch; no changes were written';

/**
 * Where a job stands at `now`: `pending` for the first half of its duration, `running` for
 * the second, then `complete` or `failed` (decided when it was created).
 */
export function jobStatusAt(job: SimulatedJob, now: number): BackgroundJobStatus {
  const elapsed = now - job.createdAt;
  if (elapsed >= job.durationMs) return job.willFail ? 'failed' : 'complete';
  return elapsed >= job.durationMs / 2 ? 'running' : 'pending';
}

/** The API view of a job at `now`. */
export function viewJob(job: SimulatedJob, now: number): BackgroundJobView {
  const status = jobStatusAt(job, now);
  return {
    id: job.id,
    type: job.type,
    description: job.description,
    ...(status === 'failed' ? { errorMessage: JOB_FAILURE_MESSAGE } : {}),
    createdAt: new Date(job.createdAt).toISOString(),
    repeatable: false,
    status,
  };
}

/** Keeps the jobs of one simulator and applies their writes once they are due. */
export function createJobQueue(ctx: SimulatorContext, jobs: Map<string, SimulatedJob>) {
  return {
    /** Starts a job; its fate and duration are fixed now. */
    start(type: string, description: string, apply: () => void): SimulatedJob {
      const job: SimulatedJob = {
        id: ctx.uuid(),
        type,
        description,
        createdAt: ctx.now(),
        durationMs: Math.max(0, ctx.jobMs()),
        willFail: ctx.jobShouldFail(),
        settled: false,
        apply,
      };
      jobs.set(job.id, job);
      this.settle();
      return job;
    },
    /** Applies every job whose time is up, oldest first; a failed job writes nothing. */
    settle(): void {
      const now = ctx.now();
      for (const job of jobs.values()) {
        if (job.settled || now - job.createdAt < job.durationMs) continue;
        job.settled = true;
        if (!job.willFail) job.apply();
      }
    },
  };
}

export type JobQueue = ReturnType<typeof createJobQueue>;
