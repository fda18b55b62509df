import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Under node_modules, so that the bundle's imports of packages resolve as they do from the sources.
const folder = path.join(repositoryRoot, 'node_modules', '.cache', 'carnet-child-bundles');

export interface ChildBundle {
  /** The bundle to give `node` instead of `--import tsx <entry>`. */
  readonly file: string;
  remove(): void;
}

/**
 * Test support: a TypeScript entry point and every source it imports as one ES module (packages stay imports), for
 * tests that start the same program again and again. tsx transforms and resolves each source file in each process
 * (2 s to load the reminder scheduler's hundred sources on a loaded machine); `node` loads the bundle in a tenth of
 * that. The code is the same (esbuild is also what tsx transforms with); each file's `import.meta.url`, `dirname` and
 * `filename` keep naming the source file, so data files beside the sources are found.
 */
export async function bundleForChild(entry: string): Promise<ChildBundle> {
  return bundle(path.basename(entry, path.extname(entry)), { entryPoints: [entry] });
}

/**
 * The `carnet` command as one bundle: what bin/carnet.js runs (`main` of src/cli/main.ts with the arguments), without
 * tsx in between. `carnet serve --workers N` forks its workers from the same file.
 */
export async function bundleCarnetCommand(): Promise<ChildBundle> {
  return bundle('carnet', {
    stdin: {
      contents: `import { main } from './src/cli/main.ts';\nprocess.exitCode = await main(process.argv.slice(2));\n`,
      resolveDir: repositoryRoot,
      sourcefile: 'carnet.ts',
      loader: 'ts',
    },
  });
}

async function bundle(
  name: string,
  input: Pick<BuildOptions, 'entryPoints' | 'stdin'>,
): Promise<ChildBundle> {
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}-${randomUUID()}.mjs`);
  await build({
    ...input,
    outfile: file,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        name: 'source-location',
        setup(builder) {
          builder.onLoad({ filter: /\.ts$/ }, async ({ path: source }) => {
            const contents = (await readFile(source, 'utf8'))
              .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(source).href))
              .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(source)))
              .replaceAll('import.meta.filename', JSON.stringify(source));
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  return { file, remove: () => rmSync(file, { force: true }) };
}
