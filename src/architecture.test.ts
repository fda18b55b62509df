import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * The module rules the README states, checked on the import graph of src/ (each top-level folder is a module):
 * - production code has no cycle between modules, so the layers can be read bottom-up and each module
 *   tested with only what is below it;
 * - a module is entered through its index.ts, its public surface; tests may also use another module's
 *   test-support files (test-*.ts, *.fixtures.ts, *.setup.ts, testing/).
 */

const src = path.dirname(new URL(import.meta.url).pathname);

const isTestCode = (file: string) =>
  /\.test\.ts$|\.fixtures\.ts$|\.setup\.ts$|(^|[/-])test-[^/]*\.ts$|(^|\/)testing\//.test(file);

const isTestSupport = (file: string) => !file.endsWith('.test.ts') && isTestCode(file);

interface Import {
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (/\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Every relative specifier of a file (static imports, re-exports, type imports, dynamic `import()`). */
function imports(): Import[] {
  const found: Import[] = [];
  for (const file of sourceFiles(src)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      found.push({
        from: path.relative(src, file).split(path.sep).join('/'),
        to: path
          .relative(src, path.resolve(path.dirname(file), fileName))
          .split(path.sep)
          .join('/'),
      });
    }
  }
  return found;
}

const moduleOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : undefined);

/** Cross-module imports that do not go through the target module's index.ts (nor, from tests, its test support). */
function deepImports(all: readonly Import[]): string[] {
  return all.flatMap(({ from, to }) => {
    const source = moduleOf(from);
    const target = moduleOf(to);
    if (source === undefined || target === undefined || source === target || to.startsWith('..')) return [];
    if (to === `${target}/index.ts`) return [];
    if (isTestCode(from) && isTestSupport(to)) return [];
    return [`${from} imports ${to}: import it from ${target}/index.ts`];
  });
}

/** The cycles of the module graph of production code, each written `a -> b -> … -> a` with one file per edge. */
function moduleCycles(all: readonly Import[]): string[] {
  const edges = new Map<string, Map<string, string>>();
  for (const { from, to } of all) {
    const source = moduleOf(from);
    const target = moduleOf(to);
    if (source === undefined || target === undefined || source === target || isTestCode(from)) continue;
    const out = edges.get(source) ?? new Map<string, string>();
    if (!out.has(target)) out.set(target, `${from} imports ${to}`);
    edges.set(source, out);
  }
  // Tarjan's strongly connected components; one cycle through each component is enough to name the offenders.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component);
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return components.map((component) => {
    const members = new Set(component);
    const start = [...members].sort()[0]!;
    // Shortest path back to `start` inside the component (breadth-first).
    const previous = new Map<string, string>();
    const queue = [start];
    let last: string | undefined;
    while (queue.length > 0 && last === undefined) {
      const v = queue.shift()!;
      for (const w of edges.get(v)?.keys() ?? []) {
        if (!members.has(w)) continue;
        if (w === start) {
          last = v;
          break;
        }
        if (!previous.has(w)) {
          previous.set(w, v);
          queue.push(w);
        }
      }
    }
    const path: string[] = [last!];
    while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
    path.push(start);
    const steps = path.slice(1).map((to, i) => `  ${path[i]} -> ${to} (${edges.get(path[i]!)!.get(to)})`);
    return [`cycle among ${[...members].sort().join(', ')}:`, ...steps].join('\n');
  });
}

describe('module structure of src/', () => {
  const all = imports();

  it('reads the import graph', () => {
    expect(all.length).toBeGreaterThan(1000);
  });

  it('has no import cycle between top-level folders in production code', () => {
    expect(moduleCycles(all)).toEqual([]);
  });

  it('enters every other module through its index.ts', () => {
    expect(deepImports(all)).toEqual([]);
  });

  it('names the offenders', () => {
    const sample: Import[] = [
      { from: 'a/x.ts', to: 'b/y.ts' },
      { from: 'b/y.ts', to: 'a/index.ts' },
      { from: 'a/x.test.ts', to: 'b/test-helpers.ts' },
    ];
    expect(deepImports(sample)).toEqual(['a/x.ts imports b/y.ts: import it from b/index.ts']);
    expect(moduleCycles(sample)).toEqual([
      'cycle among a, b:\n  a -> b (a/x.ts imports b/y.ts)\n  b -> a (b/y.ts imports a/index.ts)',
    ]);
  });
});
