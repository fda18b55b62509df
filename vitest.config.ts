import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'bench/**/*.test.ts', 'demo-apps/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: browser journeys and servers per file are heavy, keep parallelism modest.
    maxWorkers: 2,
    // Every FHIR resource the API sends during the tests goes through an R4 validator (src/fhir/validation);
    // password hashes are cheap in tests (src/auth/patient/password-cost.setup.ts).
    setupFiles: ['src/fhir/validation/fhir-validation.setup.ts', 'src/auth/patient/password-cost.setup.ts'],
  },
});
