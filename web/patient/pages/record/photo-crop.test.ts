import { describe, expect, it } from 'vitest';
import { cropFromDrag, cropRect, exportSize, noCrop, withMargin } from './photo-crop.ts';

describe('cropping a photo of a paper document', () => {
  it('keeps at least a tenth of the photo between opposite margins', () => {
    expect(withMargin(noCrop, 'left', 30)).toEqual({ ...noCrop, left: 30 });
    expect(withMargin({ ...noCrop, right: 50 }, 'left', 80)).toEqual({ ...noCrop, right: 50, left: 40 });
    expect(withMargin(noCrop, 'top', -5).top).toBe(0);
  });

  it('turns a drag, in either direction, into margins; a tiny drag crops nothing', () => {
    expect(cropFromDrag(80, 90, 10, 20)).toEqual({ left: 10, top: 20, right: 20, bottom: 10 });
    expect(cropFromDrag(10, 10, 15, 80)).toEqual(noCrop);
  });

  it('gives the kept rectangle in pixels, and a size no larger than a page needs', () => {
    expect(cropRect({ left: 10, top: 20, right: 10, bottom: 0 }, 1000, 500)).toEqual({
      x: 100,
      y: 100,
      width: 800,
      height: 400,
    });
    expect(exportSize(4000, 3000)).toEqual({ width: 2000, height: 1500 });
    expect(exportSize(800, 600)).toEqual({ width: 800, height: 600 });
  });
});
