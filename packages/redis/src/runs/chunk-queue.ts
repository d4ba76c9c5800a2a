import { Queue } from 'bullmq';
import type { RedisConnection } from '../types.js';
import type { ChunkJobData } from './run-types.js';

/** The BullMQ queue every chunk of every run goes to. */
export const CHUNK_QUEUE_NAME = 'chunks';

/** Options of the chunk queue, its jobs and its workers. */
export const defaultChunkQueueOptions = Object.freeze({
  /** Attempts of a chunk whose processing throws, before its records are settled as failed. */
  attempts: 3,
  /** First backoff between attempts, doubled each time. */
  backoffMs: 1000,
});

/** The BullMQ key prefix of the queue: `<prefix>:queue`. */
export const queuePrefixOf = (prefix: string) => `${prefix}:queue`;

/** The job id of a chunk: adding a chunk twice keeps one job. */
export const chunkJobId = (runId: string, chunk: number) => `${runId}.${chunk}`;

/** The run of a chunk's job id ({@link chunkJobId}). */
export const runIdOfChunkJob = (jobId: string) => jobId.slice(0, jobId.lastIndexOf('.'));

/** Opens the chunk queue on a connection (the queue does not close it). */
export function openChunkQueue(redis: RedisConnection, prefix: string): Queue<ChunkJobData> {
  return new Queue<ChunkJobData>(CHUNK_QUEUE_NAME, {
    connection: redis,
    prefix: queuePrefixOf(prefix),
  });
}
