/**
 * The emulator's clock. At `timeScale` 1 it is the wall clock; above 1 (benchmarks with `--exec none`) it runs that
 * many times faster from the start, so phase delays and bucket refills shrink while task timestamps keep their
 * durations as at scale 1.
 */
export function emulatorClock(timeScale: number): () => number {
  if (!(timeScale >= 1)) throw new Error(`timeScale must be at least 1; got ${timeScale}`);
  if (timeScale === 1) return Date.now;
  const epoch = Date.now();
  return () => epoch + (Date.now() - epoch) * timeScale;
}
