/** A step of 1, 2, 2.5 or 5 times a power of ten, near `raw`: what an axis reads well. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10;
  return step * power;
}

/** Round axis values around the measurements (about four intervals); a flat series still shows a line. */
export function axisTicks(values: number[]): number[] {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const step = niceStep((max - min) / 4 || Math.max(Math.abs(max) * 0.05, 0.1));
  // Counted in steps, with a tolerance, so that 0,3 / 0,1 is 3 and not 2,9999999999999996.
  const epsilon = 1e-9;
  let first = Math.floor(min / step + epsilon);
  let last = Math.ceil(max / step - epsilon);
  // A measurement exactly on the first or last line would sit on the frame: one more step of room.
  if (Math.abs(first * step - min) < epsilon * step) first -= 1;
  if (Math.abs(last * step - max) < epsilon * step) last += 1;
  // Rounded so that 3 × 0,1 shows as 0,3, not 0,30000000000000004.
  return Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toPrecision(12)));
}
