#!/usr/bin/env node
// `npm run bench` (and `npm run soak`, `bench.js soak`, `bench.js record-search`): runs the TypeScript benchmark
// through tsx, like `bin/carnet.js` runs the server.
import { register } from 'tsx/esm/api';

register();
const [first, ...rest] = process.argv.slice(2);
if (first === 'record-search') {
  const { recordSearchMain } = await import('../bench/record-search.ts');
  process.exitCode = await recordSearchMain(rest);
} else if (first === 'soak') {
  const { soakMain } = await import('../bench/soak.ts');
  process.exitCode = await soakMain(rest);
} else {
  const { main } = await import('../bench/run.ts');
  process.exitCode = await main(process.argv.slice(2));
}
