export { createRedisJournal, type RedisJournalOptions } from './redis-journal.js';
export {
  accountKeyOf,
  createRedisLimiter,
  defaultRedisLimiterOptions,
  type RedisLimiter,
} from './redis-limiter.js';
export { RedisUnavailableError } from './redis-unavailable-error.js';
export {
  type ConnectRedisOptions,
  connectRedis,
  describeConnection,
  redactRedisUrl,
  redisUrlPassword,
} from './redis-url.js';
export {
  CHUNK_QUEUE_NAME,
  chunkJobId,
  defaultChunkQueueOptions,
  queuePrefixOf,
} from './runs/chunk-queue.js';
export {
  CannotTakeRunError,
  type ChunkWorker,
  type ChunkWorkerEvent,
  type ChunkWorkerOptions,
  createChunkWorker,
  defaultChunkWorkerOptions,
  type RunSession,
} from './runs/chunk-worker.js';
export {
  createRunEnqueuer,
  defaultRunEnqueuerOptions,
  RunClosedError,
  type RunEnqueuer,
  type RunEnqueuerOptions,
} from './runs/enqueue.js';
export { DEFAULT_KEEP_RUN_MS, RunStore, runKeys, summarize } from './runs/run-store.js';
export type {
  ChunkEntry,
  ChunkJobData,
  ChunkOutcome,
  DeclinedBy,
  FailedChunkRecord,
  RunDefinition,
  RunStatus,
} from './runs/run-types.js';
export type { RedisConnection, RedisLimiterOptions } from './types.js';
