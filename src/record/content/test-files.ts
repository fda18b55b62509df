import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A real one-page PDF carrying `text`, made the way producers make them. */
export async function makePdf(text: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage();
  page.drawText(text, { x: 50, y: 700, font: await pdf.embedFont(StandardFonts.Helvetica) });
  return pdf.save({ useObjectStreams: false });
}

/**
 * The official ANS examples sit beside the repository, as on the developers' and CI machines
 * (docs/cda.md, "The ANS kits the tests and scripts read"); `CARNET_CDA_EXAMPLES` points elsewhere.
 */
export const CDA_EXAMPLES =
  process.env.CARNET_CDA_EXAMPLES ??
  fileURLToPath(new URL('../../../../shared/data/cda-examples', import.meta.url));
