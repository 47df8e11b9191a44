// `blotter <command> [options]`. Each command is one module under commands/. Whatever a person has to
// fix (a usage mistake, a missing setting, a stack that is not up) is one line on stderr; stdout
// carries only the command's output.
import { parseArgs } from 'node:util';
import { ConfigError } from '@blotter/schemas';
import type { Command } from './command.ts';
import { commands } from './commands/index.ts';
import { Context, UsageError } from './context.ts';
import { infraFailure } from './failures.ts';
import { commandHelp, overview } from './help.ts';

function find(words: string[]): Command | undefined {
  return commands.find((c) => c.name === words.slice(0, 2).join(' ')) ?? commands.find((c) => c.name === words[0]);
}

export async function main(argv: string[], ctx: Context): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  const helpWord = words[0] === 'help';
  if (helpWord) words.shift();
  const wantsHelp = helpWord || argv.includes('--help') || argv.includes('-h');
  const command = find(words);
  if (!command) {
    if (argv.length === 0 || wantsHelp) {
      ctx.out.write(overview(commands));
      return 0;
    }
    ctx.err.write(`blotter: unknown command "${words.join(' ') || argv[0]}" (\`blotter --help\` lists the commands)\n`);
    return 2;
  }
  if (wantsHelp) {
    ctx.out.write(commandHelp(command));
    return 0;
  }
  try {
    const rest = argv.slice(argv.indexOf(command.name.split(' ').at(-1) as string) + 1);
    const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return await command.run(ctx, values as Record<string, string | boolean | undefined>, positionals);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      ctx.err.write(`blotter ${command.name}: ${(err as Error).message}\nusage: blotter ${command.usage}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      ctx.err.write(`blotter: ${err.message}\n`);
      return 1;
    }
    const infra = infraFailure(err, ctx.env);
    if (infra) {
      ctx.err.write(`blotter: ${infra}\n`);
      return 1;
    }
    throw err;
  } finally {
    await ctx.close().catch(() => {});
  }
}

/**
 * The process entry (./blotter, `pnpm blotter`): the command's exit code, for the launcher to exit
 * with once the output is written.
 */
export async function run(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  // A reader that stops early (`| head -1`) closes the pipe: the output has simply ended, so the
  // write that finds it closed ends the command quietly instead of with an EPIPE stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return main(argv, new Context(env));
}
