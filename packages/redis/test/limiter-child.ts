// One process of the multi-process test: acquires `count` grants from the shared limiter at
// random moments and prints their Redis times as JSON.
import { Redis } from 'ioredis';
import { createRedisLimiter } from '../src/index.js';

const [url, account, requests, perMs, count] = process.argv.slice(2);
const redis = new Redis(url!);
const limiter = createRedisLimiter({
  redis,
  vendor: 'test',
  account: account!,
  requests: Number(requests),
  perMs: Number(perMs),
});
const times: number[] = [];
let started = 0;
await Promise.all(
  Array.from({ length: 3 }, async () => {
    while (started < Number(count)) {
      started++;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
      const grant = await limiter.acquire();
      times.push(grant.at);
    }
  }),
);
process.stdout.write(JSON.stringify(times));
redis.disconnect();
