import { describe, expect, it } from 'vitest';
import { createSimulatorContext } from '../src/context.js';
import { createRandom, createUuid } from '../src/random.js';

const knobs = { jobMs: () => 1000, jobShouldFail: () => false };

function draws(random: () => number, count = 5): number[] {
  return Array.from({ length: count }, () => random());
}

describe('createRandom', () => {
  it('repeats for the same seed and stream', () => {
    expect(draws(createRandom(42, 'a'))).toEqual(draws(createRandom(42, 'a')));
  });

  it.each([
    [42, 'a', 43, 'a'],
    [42, 'a', 42, 'b'],
    [1, '', '1', ''],
  ])('differs between %j/%j and %j/%j', (seedA, streamA, seedB, streamB) => {
    expect(draws(createRandom(seedA, streamA))).not.toEqual(draws(createRandom(seedB, streamB)));
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const random = createRandom('spread');
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      buckets[Math.floor(value * 10)]++;
    }
    for (const count of buckets) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });
});

describe('createUuid', () => {
  it('makes RFC 4122 version 4 ids, the same sequence for the same seed', () => {
    const first = Array.from({ length: 50 }, createUuid(createRandom(3)));
    const second = Array.from({ length: 50 }, createUuid(createRandom(3)));
    expect(first).toEqual(second);
    expect(new Set(first).size).toBe(50);
    for (const id of first) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe('createSimulatorContext', () => {
  it('gives each vendor its own stream of the seed', () => {
    const clock = { now: () => 0 };
    const options = { seed: 9, clock, timeScale: 1, jobs: knobs };
    const hubspot = createSimulatorContext('hubspot', options);
    const mpdx = createSimulatorContext('mpdx', options);
    const hubspotAgain = createSimulatorContext('hubspot', options);
    expect(hubspot.uuid()).toBe(hubspotAgain.uuid());
    expect(draws(hubspot.random)).not.toEqual(draws(mpdx.random));
  });

  it('reads time from the clock and divides job time by timeScale', () => {
    let now = 1000;
    const ctx = createSimulatorContext('vec', {
      seed: 1,
      clock: { now: () => now },
      timeScale: 4,
      jobs: knobs,
    });
    expect(ctx.now()).toBe(1000);
    now = 2000;
    expect(ctx.now()).toBe(2000);
    expect(ctx.jobMs()).toBe(250);
  });
});
