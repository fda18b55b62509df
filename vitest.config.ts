import { statfsSync } from 'node:fs';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest files of a whole run (processes killed and restarted, the bench at a tiny scale, long property runs),
 * the longest first. They start first, so that the many short files fill the other worker meanwhile: Vitest orders by the
 * durations of a previous run when its cache has them, and otherwise by file size, which on a fresh clone (CI) puts
 * these small files last, one of them then running alone at the end.
 */
const slowFiles = [
  'src/http/route-isolation.property.test.ts',
  'bench/bench.test.ts',
  'src/smtp/durability.test.ts',
  'src/agenda/reminders.test.ts',
];

class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const at = slowFiles.indexOf(relative(file.project.config.root, file.moduleId));
      return at === -1 ? slowFiles.length : at;
    };
    // Array.prototype.sort is stable: the other files keep Vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * Test data folders (SQLite files, stored contents, browser profiles) go to memory when there is room there: each
 * SQLite commit is an fsync, which on a shared disk takes from milliseconds to tens of milliseconds. No test needs its
 * files to outlive the machine (the crash tests kill processes, whose writes the kernel keeps).
 * `CARNET_TEST_TMPDIR` chooses another folder.
 */
function memoryFolder(): string | undefined {
  try {
    const { bavail, bsize } = statfsSync('/dev/shm');
    return bavail * bsize >= 4 * 2 ** 30 ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
}
const tmpdir = process.env.CARNET_TEST_TMPDIR || memoryFolder();

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'bench/**/*.test.ts', 'demo-apps/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: browser journeys and servers per file are heavy, keep parallelism modest.
    maxWorkers: 2,
    sequence: { sequencer: SlowFilesFirst },
    ...(tmpdir ? { env: { TMPDIR: tmpdir } } : {}),
    // Every FHIR resource the API sends during the tests goes through an R4 validator (src/fhir/validation);
    // password hashes are cheap in tests (src/auth/patient/password-cost.setup.ts).
    setupFiles: ['src/fhir/validation/fhir-validation.setup.ts', 'src/auth/patient/password-cost.setup.ts'],
  },
});
