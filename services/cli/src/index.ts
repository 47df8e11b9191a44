export { commands } from './commands/index.ts';
export { Context, UsageError } from './context.ts';
export { main } from './main.ts';
