import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const short = (url: string) => {
  const i = url.indexOf('node_modules/');
  if (i >= 0) return url.slice(i + 'node_modules/'.length);
  const s = url.indexOf('/src/');
  return s >= 0 ? url.slice(s + 1) : url.replace(/^file:\/\//, '') || '(native)';
};

/** Top entries of a map of microseconds, as lines with milliseconds and share of the total. */
function top(map: Map<string, number>, total: number, n: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, us]) =>
        `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`,
    );
}

/**
 * `npx tsx bench/cpu-profile.ts <file.cpuprofile> [top]`: self time by function and by package/file, and total
 * (inclusive) time of our own source files' functions.
 */
function summarise(file: string, n: number): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  let total = 0;
  let idle = 0;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)' || name === '(garbage collector)') {
      if (name === '(idle)') idle += us;
      else total += us;
      if (name !== '(idle)') byFunction.set(name, (byFunction.get(name) ?? 0) + us);
      continue;
    }
    total += us;
    const where = short(node.callFrame.url);
    const key = `${name} ${where}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = where.startsWith('src/')
      ? where
      : where
          .split('/')
          .slice(0, where.startsWith('@') ? 2 : 1)
          .join('/');
    byFile.set(pkg, (byFile.get(pkg) ?? 0) + us);
    // Inclusive time of our own functions: each src/ function on the stack counts once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (!frame.url.includes('/src/')) continue;
      const k = `${frame.functionName || '(anonymous)'} ${short(frame.url)}:${frame.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  return [
    `${path.basename(file)}: ${(total / 1e6).toFixed(2)} s busy, ${(idle / 1e6).toFixed(2)} s idle`,
    `Self time by function (top ${n}):`,
    ...top(byFunction, total, n),
    `Self time by package or source file (top ${n}):`,
    ...top(byFile, total, n),
    `Total time of src/ functions (top ${n}):`,
    ...top(inclusive, total, n),
  ];
}

const [file, n] = process.argv.slice(2);
if (!file) {
  console.error('Usage: npx tsx bench/cpu-profile.ts <file.cpuprofile> [top]');
  process.exitCode = 2;
} else {
  console.log(summarise(file, Number(n ?? 20)).join('\n'));
}
