// The shell blocks of a Markdown document and how each one runs, from its fence's info string:
//   ```sh            run as it stands (also bash, shell)
//   ```sh dev        `make dev` itself: the harness starts the stack around the other blocks
//   ```sh test       `make test` itself: what runs the harness; not run again inside it
//   ```sh long quick="make bench ARGS='--quick'"   too long for make test: its quick form runs instead
//   ```sh example    shown, never run (output, a command needing what a test cannot give)
// A ```console block (a prompt with output) is always an example and has to say so.

export type Marker = 'run' | 'dev' | 'test' | 'long' | 'example';

export interface Block {
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  marker: Marker;
  /** The block's text. */
  code: string;
  /** For `long`: the command run instead. */
  quick?: string;
}

const SHELL = new Set(['sh', 'bash', 'shell', 'console']);
const MARKERS = new Set<Marker>(['dev', 'test', 'long', 'example']);

export class DocBlockError extends Error {
  override readonly name = 'DocBlockError';
}

/** Every shell block of `text`, in order; a fence whose marker the harness does not know is an error naming its line. */
export function shellBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? '').trimStart().startsWith(fence); i++) body.push((lines[i] ?? '').slice(indent.length));
    const parsed = parseInfo(info.trim(), start + 1);
    if (parsed) blocks.push({ line: start + 1, code: `${body.join('\n')}\n`, ...parsed });
  }
  return blocks;
}

function parseInfo(info: string, line: number): Omit<Block, 'line' | 'code'> | null {
  const lang = info.split(/\s+/)[0] ?? '';
  if (!SHELL.has(lang)) return null;
  const rest = info.slice(lang.length).trim();
  const quick = /quick="([^"]*)"/.exec(rest)?.[1];
  const words = rest
    .replace(/quick="[^"]*"/, '')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length > 1 || (words[0] && !MARKERS.has(words[0] as Marker)))
    throw new DocBlockError(`line ${line}: unknown marker "${rest}" (dev, test, long quick="…", example, or none to run it)`);
  const marker = (words[0] as Marker | undefined) ?? 'run';
  if (lang === 'console' && marker !== 'example')
    throw new DocBlockError(`line ${line}: a console block shows output; mark it \`console example\``);
  if (marker === 'long' && !quick)
    throw new DocBlockError(`line ${line}: a long block says how it runs in make test: long quick="<command>"`);
  if (marker !== 'long' && quick !== undefined) throw new DocBlockError(`line ${line}: quick="…" belongs to a long block`);
  return quick === undefined ? { lang, marker } : { lang, marker, quick };
}
