// Lint rules: typescript-eslint's recommended set, plus the architecture's import boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Domain modules stay free of the web framework, the SMTP server and React: HTTP, SMTP, the CLI and the web apps
    // are adapters over the same services, so a rule is written once and tested once (README, "Architecture").
    files: [
      'src/identity/**',
      'src/profile/**',
      'src/insured/**',
      'src/professionals/**',
      'src/shared/**',
      'src/access/**',
      'src/record/**',
      'src/messaging/**',
      'src/medical-profile/**',
      'src/insurer/**',
      'src/indicators/**',
      'src/vsm/**',
      'src/agenda/**',
      'src/notifications/**',
      'src/catalogue/**',
      'src/connections/**',
      'src/portability/**',
      'src/terminology/**',
      'src/overview/**',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['fastify', '@fastify/*', 'smtp-server', 'react', 'react-dom', '**/http/**', '**/cli/**'],
        },
      ],
    },
  },
);
