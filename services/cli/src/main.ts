// `blotter <command> [options]`. Each command is one module under commands/.
import { parseArgs } from 'node:util';
import { commands } from './commands/index.ts';
import { Context, UsageError } from './context.ts';

export async function main(argv: string[], ctx: Context): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  const command = commands.find((c) => c.name === words.slice(0, 2).join(' ')) ?? commands.find((c) => c.name === words[0]);
  if (!command || argv.includes('--help') || argv.includes('-h')) {
    if (command) ctx.print(`usage: blotter ${command.usage}`);
    else {
      ctx.print('usage: blotter <command> [options]\n');
      for (const c of commands) ctx.print(`  ${c.name.padEnd(14)} ${c.summary}`);
    }
    return command || argv.length === 0 || argv.includes('--help') ? 0 : 2;
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
    throw err;
  } finally {
    await ctx.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const code = await main(process.argv.slice(2), new Context(process.env));
  process.exit(code);
}
