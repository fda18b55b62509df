import { describe, expect, it } from 'vitest';
import type { CarnetError } from '../shared/index.ts';
import {
  byFolderName,
  checkFolderRoom,
  checkNameFree,
  checkPinRoom,
  FOLDERS_MAX,
  folderName,
  PINS_MAX,
  pinnedFirst,
} from './folder-rules.ts';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as CarnetError).code;
  }
  return undefined;
};

describe('personal folders and pins', () => {
  it('tidies a folder name as the patient typed it', () => {
    expect(folderName('  Suivi \t cardiologie\n')).toBe('Suivi cardiologie');
    expect(folderName('Cœur'.normalize('NFD'))).toBe('Cœur'.normalize('NFC'));
    expect(folderName('é'.repeat(60))).toHaveLength(60);
  });

  it('refuses an empty, missing or too long name with a French reason', () => {
    expect(codeOf(() => folderName('   '))).toBe('folder-name-required');
    expect(codeOf(() => folderName(undefined))).toBe('folder-name-required');
    expect(codeOf(() => folderName('x'.repeat(61)))).toBe('folder-name-too-long');
    expect(() => folderName('x'.repeat(61))).toThrow('Le nom d’un dossier ne dépasse pas 60 caractères.');
  });

  it('takes names differing only by case or accents for the same folder', () => {
    expect(codeOf(() => checkNameFree('analyses', [{ name: 'Analyses' }]))).toBe('folder-name-taken');
    expect(codeOf(() => checkNameFree('Réeducation', [{ name: 'reéducation' }]))).toBe('folder-name-taken');
    expect(codeOf(() => checkNameFree('Analyses 2026', [{ name: 'Analyses' }]))).toBeUndefined();
  });

  it('bounds how many folders and pins a patient keeps', () => {
    expect(codeOf(() => checkFolderRoom(FOLDERS_MAX - 1))).toBeUndefined();
    expect(codeOf(() => checkFolderRoom(FOLDERS_MAX))).toBe('folders-full');
    expect(codeOf(() => checkPinRoom(PINS_MAX))).toBe('pins-full');
  });

  it('sorts folders as French reads them', () => {
    const names = ['radiologie', 'Analyses 10', 'Écho', 'Analyses 9'].map((name) => ({ name }));
    expect(byFolderName(names).map((f) => f.name)).toEqual([
      'Analyses 9',
      'Analyses 10',
      'Écho',
      'radiologie',
    ]);
  });

  it('puts pinned documents first, most recently pinned first, the others in their order', () => {
    const docs = ['a', 'b', 'c', 'd'].map((id) => ({ id }));
    const pinnedAt = new Map([
      ['c', '2026-01-01T00:00:00.000Z'],
      ['d', '2026-02-01T00:00:00.000Z'],
    ]);
    expect(pinnedFirst(docs, pinnedAt).map((d) => d.id)).toEqual(['d', 'c', 'a', 'b']);
    expect(pinnedFirst(docs, new Map()).map((d) => d.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});
