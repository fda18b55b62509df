#!/usr/bin/env node
// `npm run bench`: runs the TypeScript benchmark through tsx, like `bin/carnet.js` runs the server.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../bench/run.ts');
process.exitCode = await main(process.argv.slice(2));
