/**
 * Runs the demo LGC's consultation against a Carnet server:
 *
 *   TOKEN=$(npx carnet dev-token --rpps 10001000115)
 *   CARNET_URL=http://localhost:8080 CARNET_TOKEN=$TOKEN node --import tsx demo-apps/lgc/main.ts
 *
 * See README.md in this folder for the flow and for authentication outside development.
 */
import { pathToFileURL } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { CarnetRefusal, connectLgc } from './lgc.ts';
import type { Author, OutgoingDocument } from './pdsm.ts';
import { runConsultation } from './scenario.ts';

/** Dr Claire Martin, the demo GP (RPPS 10001000115): the token must be hers, the author is who signs in. */
export const DEMO_AUTHOR: Author = {
  nationalId: '810001000115',
  given: 'Claire',
  family: 'MARTIN',
  professionCode: '10',
};
/** Jean Dupont, a demo patient with an open DMP. */
export const DEMO_PATIENT_INS = '168047505611243';
/** An example root: a vendor uses the OID it registered (never another vendor's). */
export const DEMO_OID_ROOT = '1.2.250.1.999.42';

/** A one-page PDF note, as the software would print it. */
export async function consultationNote(title: string, text: string): Promise<OutgoingDocument> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage().drawText(`${title}\n\n${text}`, { x: 50, y: 750, size: 12, font });
  return {
    title,
    pdf: await pdf.save({ useObjectStreams: false }),
    typeCode: '11488-4',
    typeDisplay: 'Compte rendu de consultation',
    createdAt: new Date().toISOString(),
  };
}

async function main(): Promise<void> {
  const token = process.env.CARNET_TOKEN;
  if (!token) {
    console.error('CARNET_TOKEN manquant : TOKEN=$(npx carnet dev-token --rpps 10001000115)');
    process.exitCode = 2;
    return;
  }
  const lgc = connectLgc({
    fhirBase: `${process.env.CARNET_URL ?? 'http://localhost:8080'}/fhir`,
    token,
    author: DEMO_AUTHOR,
    oidRoot: process.env.LGC_OID_ROOT ?? DEMO_OID_ROOT,
  });
  const notes = {
    first: await consultationNote('Consultation', 'Examen clinique sans particularité.'),
    corrected: await consultationNote(
      'Consultation (corrigée)',
      'Examen clinique sans particularité. TA 12/8.',
    ),
  };
  try {
    await runConsultation(lgc, process.env.PATIENT_INS ?? DEMO_PATIENT_INS, notes, (line) =>
      console.log(line),
    );
  } catch (error) {
    if (!(error instanceof CarnetRefusal)) throw error;
    console.error(`Refus de Carnet (${error.status} ${error.code}) : ${error.message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
