/** A seeded pseudo-random generator (mulberry32): the same seed gives the same delays, so runs repeat. */
export type Rng = () => number;

export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` random hex digits. */
export function hex(rng: Rng, n: number): string {
  let out = "";
  while (out.length < n) out += Math.floor(rng() * 16).toString(16);
  return out;
}
