/** A random number in [0, 1), like `Math.random`. */
export type Random = () => number;

/**
 * A small seeded generator (Tommy Ettinger's mulberry32: a 32-bit state stepped by a Weyl
 * constant, then mixed). Not for cryptography; here so that `--seed` makes a run reproducible,
 * identically on every runtime.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** An integer from `min` to `max`, both included (Python's `random.randint`). */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
