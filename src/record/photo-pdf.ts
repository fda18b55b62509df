import { PDFDocument } from 'pdf-lib';
import { invalid } from '../shared/index.ts';

/**
 * Several photos of a paper document (a phone's camera, one per page, cropped in the browser) made into one PDF
 * at upload, as the patient's own deposit: one page per photo, sized to the image at 72 dpi scaled down to at
 * most an A4's long side, so the pages read like the sheet. Only real JPEG and PNG files are taken, by their
 * bytes, whatever name or type the browser gave them.
 */

export const PHOTOS_MAX = 20;
/** A phone photo of a page is 2 to 5 MB; the whole deposit stays under the patient's upload limit too. */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** A4's long side in PDF points. */
const PAGE_LONG_SIDE = 842;

export type PhotoFormat = 'jpeg' | 'png';

const jpegSignature = [0xff, 0xd8, 0xff];
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  bytes.length > signature.length && signature.every((b, i) => bytes[i] === b);

/** The photo's format, from its first bytes; undefined for anything else. */
export function photoFormat(bytes: Uint8Array): PhotoFormat | undefined {
  if (startsWith(bytes, jpegSignature)) return 'jpeg';
  if (startsWith(bytes, pngSignature)) return 'png';
  return undefined;
}

/** The checks before any decoding: how many photos, each one's size and format, in French. */
export function checkPhotos(photos: readonly Uint8Array[], maxTotalBytes: number): PhotoFormat[] {
  if (photos.length === 0)
    throw invalid('photos-required', 'Ajoutez au moins une photo du document.', 'photos');
  if (photos.length > PHOTOS_MAX)
    throw invalid('photos-too-many', `Envoyez ${PHOTOS_MAX} photos au plus pour un document.`, 'photos');
  let total = 0;
  return photos.map((bytes, index) => {
    const which = `La photo ${index + 1}`;
    if (bytes.length > PHOTO_MAX_BYTES)
      throw invalid(
        'photo-too-large',
        `${which} dépasse ${PHOTO_MAX_BYTES / 1024 / 1024} Mo : recadrez-la ou prenez-la en moins haute résolution.`,
        'photos',
      );
    total += bytes.length;
    if (total > maxTotalBytes)
      throw invalid(
        'photos-too-large',
        `Les photos dépassent ensemble ${Math.floor(maxTotalBytes / 1024 / 1024)} Mo : envoyez-en moins ou recadrez-les.`,
        'photos',
      );
    const format = photoFormat(bytes);
    if (!format)
      throw invalid(
        'photo-format',
        `${which} n’est pas une image JPEG ou PNG : choisissez une photo prise avec l’appareil.`,
        'photos',
      );
    return format;
  });
}

/** One PDF with a page per photo, in the order given. */
export async function photosToPdf(photos: readonly Uint8Array[], maxTotalBytes: number): Promise<Buffer> {
  const formats = checkPhotos(photos, maxTotalBytes);
  const pdf = await PDFDocument.create();
  pdf.setProducer('Carnet');
  pdf.setCreator('Carnet – photos d’un document');
  for (const [index, bytes] of photos.entries()) {
    let image;
    try {
      // A copy of its own: pdf-lib reads a JPEG through its ArrayBuffer from offset 0, and Node hands small
      // buffers out as slices of a shared pool.
      const own = new Uint8Array(bytes);
      image = formats[index] === 'jpeg' ? await pdf.embedJpg(own) : await pdf.embedPng(own);
    } catch {
      throw invalid(
        'photo-unreadable',
        `La photo ${index + 1} est illisible (fichier abîmé ou incomplet) : reprenez-la.`,
        'photos',
      );
    }
    const scale = Math.min(1, PAGE_LONG_SIDE / Math.max(image.width, image.height));
    const width = image.width * scale;
    const height = image.height * scale;
    const page = pdf.addPage([width, height]);
    page.drawImage(image, { x: 0, y: 0, width, height });
  }
  return Buffer.from(await pdf.save());
}
