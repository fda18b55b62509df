// Two single-page apps built together: the patient space (served at /) and the professional portal (/pro/).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { inlineStylesheets } from './inline-css.ts';
import { precompress } from './precompress.ts';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const entry = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [react(), inlineStylesheets(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    rolldownOptions: {
      input: { patient: entry('./patient/index.html'), pro: entry('./pro/index.html') },
      // React in a chunk of its own: shared by both apps, and still cached after a release that changes only
      // Carnet's code.
      output: {
        codeSplitting: {
          groups: [{ name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ }],
        },
      },
    },
  },
  server: {
    // `npm run dev:web` talks to a Carnet started with `npx carnet serve --demo`.
    proxy: Object.fromEntries(
      ['/api', '/auth', '/idp', '/dev', '/fhir'].map((prefix) => [prefix, 'http://127.0.0.1:8080']),
    ),
  },
});
