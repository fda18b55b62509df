import { conflict, invalid } from '../shared/index.ts';

/**
 * The patient's own organisation of their record (docs/features.md, "Personal folders, pins and photos of paper documents"): the rules on
 * folder names and how pinned documents come first. Pure: no storage, no HTTP.
 */

/** Long enough for « Suivi de grossesse 2026 – maternité », short enough for a phone's row. */
export const FOLDER_NAME_MAX = 60;
/** A patient sorting hundreds of documents needs a few dozen folders, not thousands. */
export const FOLDERS_MAX = 50;
/** Pins are the few documents one wants at hand (a card, a prescription): more would be a folder. */
export const PINS_MAX = 20;

// Control characters (a pasted tab or line break) never belong in a name shown on one line.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/g;

/** A folder name as the patient typed it, tidied (spaces collapsed, NFC), or the French reason it is refused. */
export function folderName(raw: unknown): string {
  if (typeof raw !== 'string') throw invalid('folder-name-required', 'Donnez un nom au dossier.', 'name');
  const name = raw.normalize('NFC').replace(controlCharacters, ' ').replace(/\s+/g, ' ').trim();
  if (name.length === 0) throw invalid('folder-name-required', 'Donnez un nom au dossier.', 'name');
  if ([...name].length > FOLDER_NAME_MAX)
    throw invalid(
      'folder-name-too-long',
      `Le nom d’un dossier ne dépasse pas ${FOLDER_NAME_MAX} caractères.`,
      'name',
    );
  return name;
}

/** Two names the patient would read as the same folder (« Analyses » and « analyses »). */
export const sameFolderName = (a: string, b: string): boolean =>
  a.localeCompare(b, 'fr', { sensitivity: 'base' }) === 0;

/** Refuses a name another of the patient's folders already has (the message never repeats the name). */
export function checkNameFree(name: string, others: readonly { readonly name: string }[]): void {
  if (others.some((folder) => sameFolderName(folder.name, name)))
    throw conflict('folder-name-taken', 'Vous avez déjà un dossier portant ce nom.');
}

export function checkFolderRoom(count: number): void {
  if (count >= FOLDERS_MAX)
    throw conflict(
      'folders-full',
      `Vous avez atteint ${FOLDERS_MAX} dossiers : supprimez-en un avant d’en créer un autre.`,
    );
}

export function checkPinRoom(count: number): void {
  if (count >= PINS_MAX)
    throw conflict(
      'pins-full',
      `Vous avez déjà épinglé ${PINS_MAX} documents : désépinglez-en un avant d’en épingler un autre.`,
    );
}

/** Folders in the order the patient reads them: by name, as French sorts (accents and case aside). */
export const byFolderName = <T extends { readonly name: string }>(folders: readonly T[]): T[] =>
  [...folders].sort((a, b) => a.name.localeCompare(b.name, 'fr', { sensitivity: 'base', numeric: true }));

/**
 * A document list with the pinned ones first, most recently pinned first; the others keep their order.
 * `pinnedAt`: each pinned document's pinning instant (ISO), by id.
 */
export function pinnedFirst<T extends { readonly id: string }>(
  documents: readonly T[],
  pinnedAt: ReadonlyMap<string, string>,
): T[] {
  const pinned = documents
    .filter((d) => pinnedAt.has(d.id))
    .sort((a, b) => pinnedAt.get(b.id)!.localeCompare(pinnedAt.get(a.id)!));
  return [...pinned, ...documents.filter((d) => !pinnedAt.has(d.id))];
}
