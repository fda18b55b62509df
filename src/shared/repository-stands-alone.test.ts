import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The repository stands alone: a comment may point a reader to a file, but only to one the repository holds
 * (the domain knowledge is in docs/, see docs/README.md). Notes kept beside the repository, paths on one
 * machine and tracker numbers mean nothing to whoever clones it.
 */
const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** Folders that are not source: dependencies, build output, what the tests and `npm start` write. */
const skippedFolders = new Set(['node_modules', '.git', 'dist', 'data', 'test-artifacts']);

type Language = 'script' | 'css' | 'shell' | 'html';

function languageOf(path: string): Language | undefined {
  const extension = extname(path);
  if (['.ts', '.tsx', '.js', '.mjs', '.cjs', '.mts', '.cts', '.jsx'].includes(extension)) return 'script';
  if (extension === '.css') return 'css';
  if (extension === '.sh' || relative(root, path) === join('.ci', 'run')) return 'shell';
  if (extension === '.html') return 'html';
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return skippedFolders.has(entry.name) ? [] : sourceFiles(path);
    return entry.isFile() && languageOf(path) ? [path] : [];
  });
}

interface SourceComment {
  readonly line: number;
  readonly text: string;
}

/**
 * Every comment of a TypeScript or JavaScript file, from its syntax tree: strings, regular expressions and JSX text
 * are not comments, however much they look like one.
 */
function scriptComments(path: string, text: string): SourceComment[] {
  const kind = /x$/.test(extname(path))
    ? ts.ScriptKind.TSX
    : /\.[mc]?js$/.test(path)
      ? ts.ScriptKind.JS
      : ts.ScriptKind.TS;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const seen = new Map<number, SourceComment>();
  const collect = (ranges: readonly ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      const line = source.getLineAndCharacterOfPosition(range.pos).line + 1;
      seen.set(range.pos, { line, text: text.slice(range.pos, range.end) });
    }
  };
  const jsxTextStarts = new Set<number>();
  const findJsxText = (node: ts.Node) => {
    if (ts.isJsxText(node)) jsxTextStarts.add(node.getFullStart());
    ts.forEachChild(node, findJsxText);
  };
  findJsxText(source);
  const visit = (node: ts.Node) => {
    // A JSDoc node is the comment itself, already found in the trivia of the node it documents.
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    // A node's trivia holds the comments before it (leading) and those ending its line (trailing). JSX text has no
    // trivia: reading it as such would take `// text` between two tags for a comment.
    if (!ts.isJsxText(node)) collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    if (!jsxTextStarts.has(node.getEnd())) collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    // getChildren also yields the punctuation tokens, whose trivia holds comments such as JSX's {/* … */}.
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  return [...seen.values()];
}

function matchedComments(text: string, pattern: RegExp): SourceComment[] {
  return [...text.matchAll(pattern)].map((match) => ({
    line: text.slice(0, match.index).split('\n').length,
    text: match[0],
  }));
}

function commentsOf(path: string, text = readFileSync(path, 'utf8')): SourceComment[] {
  switch (languageOf(path)) {
    case 'script':
      return scriptComments(path, text);
    case 'css':
      return matchedComments(text, /\/\*[\s\S]*?\*\//g);
    case 'shell':
      // A `#` at a line's start or after a blank starts a comment (`$#`, `${#x}` and `#!` do not).
      return matchedComments(text, /(?<=^|[ \t])#(?!!).*$/gm);
    case 'html':
      return matchedComments(text, /<!--[\s\S]*?-->/g);
    default:
      return [];
  }
}

/** The team's working notes, which were never part of the repository. */
const notesOutside = /\b(?:facts|design-notes|stack|style)\.md\b|\bdesign-notes\b/i;
/** A tracker number: the word issue (or issues) followed by a number, with or without `#`. */
const issueNumber = /\bissues?\s+(?:n[°o]\s*)?#?\d+/i;
/** A path on someone's machine. */
const machinePath = /(?:^|[\s`'"(=])(?:\/work\/|\/home\/|\/Users\/|~\/|[A-Z]:\\)/;
/** A relative path: one or two dots, a slash, then the rest of the path. */
const relativePath = /(?<![\w.])\.{1,2}\/[\w@.\-/]*/g;
/** A Markdown file name, with or without folders before it. */
const markdownPath = /(?<![\w@.\-/])[\w@.\-/]*[\w-]\.md\b/g;

function inside(path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot === '' || (!fromRoot.startsWith(`..${sep}`) && fromRoot !== '..' && !isAbsolute(fromRoot));
}

/** Where `path`, read from `file`'s folder or from the root, names something the repository holds. */
function heldAt(path: string, file: string): string | undefined {
  const bare = path.replace(/[.,;:]+$/, '');
  return [resolve(dirname(file), bare), resolve(root, bare)].find(
    (candidate) => inside(candidate) && existsSync(candidate),
  );
}

const held = (path: string, file: string): boolean => heldAt(path, file) !== undefined;

/** A section named after its file: `docs/access.md, "Emergency access"` or `README "API"`. */
const namedSection = /(?<![\w@.\-/])((?:[\w@.-]+\/)*[\w@.-]+\.md|README)\b[,:]?\s*\(?"([^"]+)"/g;

/** The headings of a Markdown file, as written. */
function headingsOf(path: string): Set<string> {
  return new Set(
    [...readFileSync(path, 'utf8').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((match) => match[1]!),
  );
}

/** A comment's text on one line: the ` * ` and `//` that begin its lines are not part of a section's name. */
const oneLine = (comment: string): string => comment.replace(/\n\s*(?:\*(?!\/)|\/\/|#)?[ \t]?/g, ' ');

/** What is wrong with one comment of `file`, if anything. */
function problemsOf(file: string, comment: string): string[] {
  const problems: string[] = [];
  const notes = notesOutside.exec(comment);
  if (notes) problems.push(`cites notes kept outside the repository (${notes[0]})`);
  const issue = issueNumber.exec(comment);
  if (issue) problems.push(`cites a tracker number (${issue[0]}): say the why, or point to docs/`);
  const machine = machinePath.exec(comment);
  if (machine) problems.push(`names a path on one machine (${machine[0].trim()})`);
  for (const [path] of comment.matchAll(relativePath)) {
    if (!inside(resolve(dirname(file), path))) problems.push(`names a path outside the repository (${path})`);
    // A path that climbs must reach something the repository holds, from the file or from the root: a folder
    // beside the checkout is as absent for a reader as one on another machine.
    else if (path.startsWith('../') && !held(path, file))
      problems.push(`names a path the repository does not hold (${path})`);
  }
  for (const [path] of comment.matchAll(markdownPath)) {
    if (!notesOutside.test(path) && !held(path, file))
      problems.push(`names a Markdown file the repository does not hold (${path})`);
  }
  for (const [, path, section] of oneLine(comment).matchAll(namedSection)) {
    const markdown = heldAt(path === 'README' ? 'README.md' : path!, file);
    if (markdown && !headingsOf(markdown).has(section!))
      problems.push(`names a section ${path} does not have ("${section}")`);
  }
  return problems;
}

function offendingComments(): string[] {
  return sourceFiles(root).flatMap((file) =>
    commentsOf(file).flatMap(({ line, text }) =>
      problemsOf(file, text).map((problem) => `${relative(root, file)}:${line}: ${problem}`),
    ),
  );
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
const anchorOf = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** Every relative link of the repository's Markdown pages that points nowhere: a missing file or heading. */
function brokenLinks(): string[] {
  const pages = sourceMarkdown(root);
  return pages.flatMap((page) =>
    [...readFileSync(page, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)].flatMap(([, target]) => {
      if (/^[a-z]+:/i.test(target!)) return [];
      const [path, anchor] = target!.split('#');
      const file = path === '' ? page : resolve(dirname(page), path!);
      if (!inside(file) || !existsSync(file)) return [`${relative(root, page)}: ${target} does not exist`];
      if (anchor === undefined || !file.endsWith('.md')) return [];
      const anchors = new Set([...headingsOf(file)].map(anchorOf));
      return anchors.has(anchor) ? [] : [`${relative(root, page)}: ${target} names no heading`];
    }),
  );
}

function sourceMarkdown(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return skippedFolders.has(entry.name) ? [] : sourceMarkdown(path);
    return entry.isFile() && entry.name.endsWith('.md') ? [path] : [];
  });
}

describe('the repository stands alone', () => {
  const here = join(root, 'src', 'shared', 'example.ts');

  it('finds the comments of a script, and only them', () => {
    const text = [
      '// one',
      "const a = '// not a comment';",
      'const b = /\\/* not either */;',
      '/** two */ const c = 1; /* three */',
      'const d = <p>{/* four */}// text</p>;',
    ].join('\n');
    expect(commentsOf(join(root, 'web', 'x.tsx'), text).map((comment) => comment.text)).toEqual([
      '// one',
      '/** two */',
      '/* three */',
      '/* four */',
    ]);
    expect(
      commentsOf(join(root, 'scripts', 'x.sh'), 'echo "$#" # five\n#!/bin/sh\n# six').map((c) => c.text),
    ).toEqual(['# five', '# six']);
  });

  it('refuses notes outside the repository, machine paths and tracker numbers', () => {
    expect(problemsOf(here, '// The INS key (facts.md §1).')).toHaveLength(1);
    expect(problemsOf(here, '// One chain per patient (design-notes.md "Audit chain").')).toHaveLength(1);
    expect(problemsOf(here, '// Regression (issue 10 item 5).')).toHaveLength(1);
    expect(problemsOf(here, '// Issues 8–11 add routes.')).toHaveLength(1);
    expect(problemsOf(here, '// See ../../../shared/docs/style.md')).toHaveLength(2);
    expect(problemsOf(here, '// Copied from /work/shared/data/kit.')).toHaveLength(1);
    expect(problemsOf(here, '// See docs/nothing-here.md.')).toHaveLength(1);
    const script = join(root, 'scripts', 'import.ts');
    expect(problemsOf(script, '// The kit sits in ../shared/data/kit, beside the checkout.')).toHaveLength(1);
    expect(
      problemsOf(here, '/** Kept ten years (docs/features.md, "Profile\n * lifecycles"). */'),
    ).toHaveLength(1);
    expect(problemsOf(here, '// See README "Upgrading".')).toHaveLength(1);
  });

  it('accepts paths the repository holds', () => {
    expect(
      problemsOf(here, "// See docs/identifiers.md, ../../README.md and '../shared/errors.ts'."),
    ).toEqual([]);
    expect(problemsOf(here, '// Lifestyle items, stacked (the code path is simple).')).toEqual([]);
    expect(problemsOf(here, '/** Kept ten years (docs/features.md, "Profile\n * lifecycle"). */')).toEqual(
      [],
    );
    expect(problemsOf(here, '// See README "API" and README.md, "Data at rest".')).toEqual([]);
  });

  it('links its Markdown pages to files and headings that exist', () => {
    expect(anchorOf('Search semantics (ITI-67, ITI-66)')).toBe('search-semantics-iti-67-iti-66');
    expect(anchorOf('Carnet’s own ids')).toBe('carnets-own-ids');
    expect(brokenLinks()).toEqual([]);
  });

  // Parsing every source file takes a while on a busy machine.
  it('holds for every comment of every source file', { timeout: 180_000 }, () => {
    expect(offendingComments()).toEqual([]);
  });
});
