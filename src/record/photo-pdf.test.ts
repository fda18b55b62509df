import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { CarnetError } from '../shared/index.ts';
import { checkPhotos, PHOTO_MAX_BYTES, PHOTOS_MAX, photoFormat, photosToPdf } from './photo-pdf.ts';
import { solidPng, tinyJpeg, tinyPng } from './photo-pdf.fixtures.ts';

const MB = 1024 * 1024;
const refusal = async (run: () => unknown) => {
  try {
    await run();
  } catch (error) {
    return { code: (error as CarnetError).code, message: (error as CarnetError).message };
  }
  return undefined;
};

describe('photos of a paper document made into one PDF', () => {
  it('knows JPEG and PNG by their bytes, not by what the browser says', () => {
    expect(photoFormat(tinyJpeg)).toBe('jpeg');
    expect(photoFormat(tinyPng)).toBe('png');
    expect(photoFormat(Buffer.from('%PDF-1.7'))).toBeUndefined();
    expect(photoFormat(Buffer.from([0xff, 0xd8]))).toBeUndefined();
  });

  it('makes one page per photo, in order, each sized to its image', async () => {
    const wide = solidPng(40, 20, [0, 0, 0]);
    const pdf = await PDFDocument.load(await photosToPdf([wide, tinyJpeg, tinyPng], 10 * MB));
    expect(pdf.getPageCount()).toBe(3);
    expect(pdf.getPages().map((p) => [p.getWidth(), p.getHeight()])).toEqual([
      [40, 20],
      [1, 1],
      [6, 8],
    ]);
  });

  it('scales a phone-sized photo down to an A4 page’s long side, keeping its proportions', async () => {
    const big = solidPng(1200, 1600, [255, 255, 255]);
    const pdf = await PDFDocument.load(await photosToPdf([big], 10 * MB));
    const page = pdf.getPage(0);
    expect(page.getHeight()).toBeCloseTo(842);
    expect(page.getWidth()).toBeCloseTo(631.5);
  });

  it('refuses no photo, too many, one too large, all too large together, or a file that is no photo', async () => {
    expect(await refusal(() => checkPhotos([], 10 * MB))).toMatchObject({ code: 'photos-required' });
    const many = Array.from({ length: PHOTOS_MAX + 1 }, () => tinyPng);
    expect(await refusal(() => checkPhotos(many, 10 * MB))).toMatchObject({ code: 'photos-too-many' });
    const huge = Buffer.concat([tinyJpeg, Buffer.alloc(PHOTO_MAX_BYTES)]);
    expect(await refusal(() => checkPhotos([huge], 100 * MB))).toMatchObject({ code: 'photo-too-large' });
    const half = Buffer.concat([tinyJpeg, Buffer.alloc(6 * MB)]);
    expect(await refusal(() => checkPhotos([half, half], 10 * MB))).toMatchObject({
      code: 'photos-too-large',
      message: 'Les photos dépassent ensemble 10 Mo : envoyez-en moins ou recadrez-les.',
    });
    expect(await refusal(() => checkPhotos([tinyPng, Buffer.from('GIF89a……')], 10 * MB))).toEqual({
      code: 'photo-format',
      message: 'La photo 2 n’est pas une image JPEG ou PNG : choisissez une photo prise avec l’appareil.',
    });
  });

  it('refuses a photo whose bytes start right but break off', async () => {
    const broken = tinyPng.subarray(0, 20);
    expect(await refusal(() => photosToPdf([broken], 10 * MB))).toMatchObject({ code: 'photo-unreadable' });
  });
});
