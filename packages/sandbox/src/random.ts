/**
 * Seeded randomness. Every random choice the sandbox makes (generated ids, fault decisions,
 * jitter) comes from one of these streams, so the same seed and the same request sequence give
 * the same data and the same faults.
 */

/** A seed: a number, or a string hashed to one. */
export type Seed = number | string;

/** Turns a seed and a stream name into a 32-bit state (FNV-1a over both, as text). */
export function hashSeed(seed: Seed, stream = ''): number {
  const text = `${typeof seed}:${String(seed)}/${stream}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A small counter-based generator: a Weyl sequence (add an odd constant) passed through an
 * integer mixing function. It is fast, has a full 2^32 period and no bad seeds, which is all a
 * simulator needs; it is not meant for cryptography.
 */
export function createRandom(seed: Seed, stream = ''): () => number {
  let state = hashSeed(seed, stream);
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    z ^= z >>> 15;
    return (z >>> 0) / 0x100000000;
  };
}

/** A UUID v4 whose 122 random bits come from `random`. */
export function createUuid(random: () => number): () => string {
  return () => {
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 16; i++) bytes[i] = Math.floor(random() * 256);
    // Version 4 in the high nibble of byte 6, RFC 4122 variant (10xx) in byte 8.
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
