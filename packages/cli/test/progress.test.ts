import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../src/output/progress.js';
import { createRedactor } from '../src/redact.js';
import { fakeStream } from './helpers.js';

const identity = (text: string) => text;

function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('on a terminal', () => {
  it('redraws one bar in place with count, rate, ETA, failures and throttling', () => {
    const stream = fakeStream({ isTTY: true, columns: 200 });
    const time = clock();
    const progress = createProgress({
      stream,
      redact: identity,
      now: time.now,
      label: 'hubspot tickets-update',
    });
    time.advance(2_000);
    progress.update({
      done: 500,
      total: 2_000,
      failed: 3,
      unknown: 1,
      throttled: 2,
      throttledMs: 1_500,
    });
    expect(stream.writes).toEqual([
      '\r\x1b[Khubspot tickets-update: [######..................]  500/2,000 (25%)  250/s  ETA 6.0 s  3 failed  1 unknown  throttled 2x (1.5 s)',
    ]);
  });

  it('redraws at most every redrawIntervalMs, and always on finish with a newline', () => {
    const stream = fakeStream({ isTTY: true });
    const time = clock();
    const progress = createProgress({
      stream,
      redact: identity,
      now: time.now,
      redrawIntervalMs: 100,
    });
    progress.update({ done: 1, total: 10, failed: 0 });
    time.advance(50);
    progress.update({ done: 2, total: 10, failed: 0 });
    time.advance(50);
    progress.update({ done: 3, total: 10, failed: 0 });
    progress.finish({ done: 10, total: 10, failed: 0 });
    progress.finish();
    progress.update({ done: 11, total: 10, failed: 0 });
    expect(stream.writes).toHaveLength(3);
    expect(stream.writes[1]).toContain('3/10');
    expect(stream.writes[2]).toMatch(/\[#{24}\] +10\/10 \(100%\).*\n$/);
    expect(stream.writes[2]).not.toContain('ETA');
  });

  describe('while no update comes (a long throttling wait)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('redraws every tickMs from a timer that keeps no process alive, until finish', () => {
      vi.useFakeTimers();
      const stream = fakeStream({ isTTY: true });
      const time = clock();
      const progress = createProgress({ stream, redact: identity, now: time.now, tickMs: 1_000 });
      time.advance(1_000);
      progress.update({ done: 10, total: 100, failed: 0 });
      expect(stream.writes).toHaveLength(1);
      expect(vi.getTimerCount()).toBe(1);
      time.advance(1_000);
      vi.advanceTimersByTime(1_000);
      expect(stream.writes).toHaveLength(2);
      // The elapsed time moved on: the rate drops while the count stands still.
      expect(stream.writes[0]).toContain('10/s');
      expect(stream.writes[1]).toContain('5/s');
      progress.finish();
      expect(vi.getTimerCount()).toBe(0);
      time.advance(5_000);
      vi.advanceTimersByTime(5_000);
      expect(stream.writes).toHaveLength(3);
    });

    it('starts no timer on a pipe, nor with tickMs 0', () => {
      vi.useFakeTimers();
      createProgress({ stream: fakeStream(), redact: identity, now: clock().now }).update({
        done: 1,
        failed: 0,
      });
      createProgress({
        stream: fakeStream({ isTTY: true }),
        redact: identity,
        now: clock().now,
        tickMs: 0,
      }).update({ done: 1, failed: 0 });
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  it('fits the line to the terminal width', () => {
    const stream = fakeStream({ isTTY: true, columns: 40 });
    const progress = createProgress({ stream, redact: identity, now: clock().now });
    progress.update({
      done: 123_456,
      total: 1_000_000,
      failed: 99_999,
      throttled: 5,
      throttledMs: 9_000,
    });
    expect(stream.writes[0]!.replace('\r\x1b[K', '').length).toBeLessThanOrEqual(39);
  });
});

describe('on a pipe or file', () => {
  it('prints plain lines at most every lineIntervalMs and a final line', () => {
    const stream = fakeStream({ isTTY: false });
    const time = clock();
    const progress = createProgress({
      stream,
      redact: identity,
      now: time.now,
      lineIntervalMs: 5_000,
    });
    for (let done = 100; done <= 1_000; done += 100) {
      time.advance(1_000);
      progress.update({ done, failed: 0 });
    }
    progress.finish();
    expect(stream.writes).toEqual([
      '100 records  100/s  0 failed\n',
      '600 records  100/s  0 failed\n',
      '1,000 records  100/s  0 failed\n',
    ]);
    expect(stream.text()).not.toContain('\r');
  });

  it('does not repeat the last line on finish when nothing changed (a short run)', () => {
    const stream = fakeStream({ isTTY: false });
    const time = clock();
    const progress = createProgress({ stream, redact: identity, now: time.now });
    time.advance(10);
    progress.update({ done: 5, total: 5, failed: 2 });
    time.advance(10);
    progress.finish({ done: 5, total: 5, failed: 2 });
    expect(stream.writes).toEqual(['5/5 (100%)  500/s  2 failed\n']);
  });

  it('says ETA ? before any rate is known', () => {
    const stream = fakeStream();
    createProgress({ stream, redact: identity, now: clock().now }).update({
      done: 0,
      total: 5,
      failed: 0,
    });
    expect(stream.writes[0]).toContain('ETA ?');
  });
});

describe('options', () => {
  it('prints nothing with enabled: false (--no-progress)', () => {
    const stream = fakeStream({ isTTY: true });
    const progress = createProgress({ stream, redact: identity, enabled: false });
    progress.update({ done: 1, failed: 0 });
    progress.finish();
    expect(stream.writes).toEqual([]);
  });

  it('passes every line through the redactor', () => {
    const stream = fakeStream();
    const progress = createProgress({
      stream,
      redact: createRedactor(['hubspot']).redact,
      now: clock().now,
      label: 'hubspot',
    });
    progress.finish({ done: 1, failed: 0 });
    expect(stream.text()).toBe('[REDACTED]: 1 records  0/s  0 failed\n');
  });

  it('rejects a missing stream or redactor with a TypeError', () => {
    expect(() => createProgress({ stream: undefined as never, redact: identity })).toThrow(
      /stream/,
    );
    expect(() => createProgress({ stream: fakeStream(), redact: undefined as never })).toThrow(
      /redact/,
    );
  });
});
