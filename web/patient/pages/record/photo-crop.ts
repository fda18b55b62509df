/**
 * The crop of one photo of a paper document, as margins cut from each side in percent of the image: pure, so
 * the sliders, the pointer and the export agree on one rectangle.
 */
export interface Crop {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export const noCrop: Crop = { left: 0, top: 0, right: 0, bottom: 0 };
/** What is kept is never less than a tenth of the photo each way. */
export const MIN_KEPT = 10;

const clamp = (value: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, value));

/** Sets one margin, bounded so that at least `MIN_KEPT` percent stays between it and the opposite one. */
export function withMargin(crop: Crop, side: keyof Crop, value: number): Crop {
  const opposite = { left: 'right', right: 'left', top: 'bottom', bottom: 'top' } as const;
  const max = 100 - MIN_KEPT - crop[opposite[side]];
  return { ...crop, [side]: clamp(Math.round(value), 0, max) };
}

/** The crop a pointer drawn from (x1, y1) to (x2, y2) makes, both in percent of the shown image. */
export function cropFromDrag(x1: number, y1: number, x2: number, y2: number): Crop {
  const [l, r] = [clamp(Math.min(x1, x2), 0, 100), clamp(Math.max(x1, x2), 0, 100)];
  const [t, b] = [clamp(Math.min(y1, y2), 0, 100), clamp(Math.max(y1, y2), 0, 100)];
  if (r - l < MIN_KEPT || b - t < MIN_KEPT) return noCrop;
  return { left: Math.round(l), top: Math.round(t), right: Math.round(100 - r), bottom: Math.round(100 - b) };
}

/** The kept rectangle in the image's pixels. */
export function cropRect(crop: Crop, width: number, height: number) {
  const x = Math.round((crop.left / 100) * width);
  const y = Math.round((crop.top / 100) * height);
  return {
    x,
    y,
    width: Math.max(1, Math.round(((100 - crop.left - crop.right) / 100) * width)),
    height: Math.max(1, Math.round(((100 - crop.top - crop.bottom) / 100) * height)),
  };
}

/** A phone's 12-megapixel photo is more than a page needs: the long side is brought down to this. */
export const EXPORT_LONG_SIDE = 2000;

export function exportSize(width: number, height: number) {
  const scale = Math.min(1, EXPORT_LONG_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
