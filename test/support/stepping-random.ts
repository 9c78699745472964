/**
 * A stand-in for Math.random that never repeats and never depends on chance: the fractional
 * parts of n·φ (golden ratio), spread evenly over [0, 1). Two seeds drawn from it always differ.
 */
export function steppingRandom(): () => number {
  let step = 0;
  return () => {
    step++;
    return (step * 0.618_033_988_749_895) % 1;
  };
}
