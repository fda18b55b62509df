// Brotli and gzip copies of the built text files, written once at build time so that the server sends them as they
// are (@fastify/static `preCompressed`) instead of compressing on every request or not at all.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const compressible = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt']);

/** Below this, the headers cost more than compression saves. */
const minimumBytes = 1024;

export interface Precompressed {
  readonly file: string;
  readonly bytes: number;
  readonly brotliBytes?: number;
  readonly gzipBytes?: number;
}

/** Writes `file.br` and `file.gz` beside each text file of `dir` that they make smaller. */
export async function precompressDirectory(dir: string): Promise<Precompressed[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && compressible.has(extname(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.map(precompressFile));
}

async function precompressFile(file: string): Promise<Precompressed> {
  const content = await readFile(file);
  if (content.length < minimumBytes) return { file, bytes: content.length };
  const [br, gz] = await Promise.all([
    brotli(content, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    }),
    gzipAsync(content, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  const result: { -readonly [K in keyof Precompressed]: Precompressed[K] } = { file, bytes: content.length };
  if (br.length < content.length) {
    await writeFile(`${file}.br`, br);
    result.brotliBytes = br.length;
  }
  if (gz.length < content.length) {
    await writeFile(`${file}.gz`, gz);
    result.gzipBytes = gz.length;
  }
  return result;
}

/** The vite plugin: compresses the output folder once the bundle is written. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'carnet-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      const written = await precompressDirectory(outDir);
      const compressed = written.filter((file) => file.brotliBytes !== undefined).length;
      this.info(`brotli and gzip copies of ${compressed} of ${written.length} text files`);
    },
  };
}
