// `blotter --help` and `blotter <command> --help`: usage, summary and every option, on stdout (it is
// the output asked for).
import type { Command } from './command.ts';

export function commandHelp(c: Command): string {
  const rows = Object.entries(c.options).map(([name, o]) => ({
    flag: `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' <value>' : ''}`,
    text: c.help?.[name] ?? '',
  }));
  rows.push({ flag: '-h, --help', text: 'this help' });
  const width = Math.max(...rows.map((r) => r.flag.length));
  return [
    `usage: blotter ${c.usage}`,
    '',
    c.summary,
    '',
    'options:',
    ...rows.map((r) => `  ${r.flag.padEnd(width)}  ${r.text}`.trimEnd()),
    '',
  ].join('\n');
}

export function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: blotter <command> [options]      (blotter <command> --help for its options)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Settings come from the environment, then .data/infra.env (make up), then .env (make dev).',
    '',
  ].join('\n');
}
