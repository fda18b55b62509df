export { devTokenCommand } from './commands/dev-token.ts';
export { progressReporter } from './commands/import-insurer.ts';
export { main } from './main.ts';
