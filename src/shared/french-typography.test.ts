import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A French elision written with the typewriter apostrophe: « l'accès », « qu'il », « d'un ». English words
 * ("doesn't", "patient's") do not match, since the elided word must stand alone before the apostrophe.
 */
const straightElision = /(?<![\p{L}\d_-])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)'(?=[\p{L}])/iu;

/**
 * Texts that are not ours to spell: the display names of the ANS's value sets, which the IPS writes exactly as the
 * value set (JDV_AbsentOrUnknown…) has them, typewriter apostrophe included.
 */
const officialWordings = new Set(['src/ips/ips-cda.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The text a person may read: string literals, template text and JSX text (comments and code are not read). */
function readableTexts(file: string): { text: string; line: number }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const texts: { text: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node) ||
      ts.isJsxText(node)
    )
      texts.push({ text: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

function straightApostrophes(dirs: readonly string[]): string[] {
  return dirs
    .flatMap((dir) => sourceFiles(join(root, dir)))
    .filter((file) => !officialWordings.has(relative(root, file)))
    .flatMap((file) =>
      readableTexts(file)
        .filter(({ text }) => straightElision.test(text))
        .map(({ text, line }) => `${relative(root, file)}:${line}: ${text.trim().slice(0, 80)}`),
    );
}

describe('French typography of what people read', () => {
  it('recognises an elision with a straight apostrophe, and leaves English and code alone', () => {
    expect(straightElision.test("l'accès")).toBe(true);
    expect(straightElision.test("Aucun accès n'a été")).toBe(true);
    expect(straightElision.test("jusqu'au")).toBe(true);
    expect(straightElision.test('l’accès')).toBe(false);
    expect(straightElision.test("doesn't")).toBe(false);
    expect(straightElision.test("the patient's record")).toBe(false);
    expect(straightElision.test("where status = 'current'")).toBe(false);
  });

  it('marks an optional field one way, « (facultatif) » after its label, written once (web/shared/form.tsx)', () => {
    const written = (['web'] as const)
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .filter((file) => relative(root, file) !== 'web/shared/form.tsx')
      .flatMap((file) =>
        readableTexts(file)
          .filter(({ text }) => /facultati|optionnel/i.test(text))
          .map(({ text, line }) => `${relative(root, file)}:${line}: ${text.trim()}`),
      );
    expect(written).toEqual([]);
  });

  it('writes the apostrophe ’ in every text of both apps and of the server (one spelling)', () => {
    expect(straightApostrophes(['web', 'src'])).toEqual([]);
  });
});
