/**
 * A consultation as the doctor's software lives it: check the patient's DMP is open, send the note (ITI-65), find
 * it again (ITI-67), read it back (ITI-68), send a corrected version that replaces it, then mask the correction
 * from other professionals at the patient's request (PATCH).
 */
import type { FoundDocument, Lgc } from './lgc.ts';
import type { OutgoingDocument } from './pdsm.ts';

export interface ScenarioReport {
  readonly deposited: string;
  readonly foundAfterDeposit: readonly FoundDocument[];
  readonly retrievedBytes: number;
  readonly replacement: string;
  readonly currentAfterReplace: readonly FoundDocument[];
  readonly masked: FoundDocument;
}

/** `say` is how the software tells its user what happened (the console in `main.ts`). */
export async function runConsultation(
  lgc: Lgc,
  ins: string,
  notes: { first: OutgoingDocument; corrected: OutgoingDocument },
  say: (line: string) => void = () => {},
): Promise<ScenarioReport> {
  if (!(await lgc.hasOpenRecord(ins))) {
    throw new Error(`Le patient ${ins} n’a pas de DMP ouvert : rien n’est envoyé.`);
  }
  const [deposited] = await lgc.deposit(ins, [notes.first]);
  say(`Document déposé (ITI-65) : DocumentReference/${deposited}`);

  const foundAfterDeposit = await lgc.search(ins, { type: notes.first.typeCode });
  say(`Recherche (ITI-67) : ${foundAfterDeposit.length} document(s) de ce type`);
  const ours = foundAfterDeposit.find((d) => d.id === deposited);
  if (!ours) throw new Error('Le document déposé est introuvable.');

  const bytes = await lgc.retrieve(ours);
  say(`Document relu (ITI-68) : ${bytes.length} octets, empreinte vérifiée`);

  const replacement = await lgc.replace(ins, ours, notes.corrected);
  say(`Nouvelle version déposée : DocumentReference/${replacement} remplace ${deposited}`);
  const currentAfterReplace = await lgc.search(ins, { type: notes.first.typeCode });

  const corrected = currentAfterReplace.find((d) => d.id === replacement);
  if (!corrected) throw new Error('La nouvelle version est introuvable.');
  const masked = await lgc.mask(corrected);
  say(`Document masqué aux autres professionnels : ${masked.securityLabels.join(', ')}`);
  return {
    deposited: deposited!,
    foundAfterDeposit,
    retrievedBytes: bytes.length,
    replacement,
    currentAfterReplace,
    masked,
  };
}
