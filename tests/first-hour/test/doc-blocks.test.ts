// How the docs' harness reads a fence: its language, its marker, a long block's quick form, and a
// refusal naming the line for what it cannot tell how to run.
import t from 'tap';
import { shellBlocks } from '../src/doc-blocks.ts';

const doc = (...lines: string[]) => lines.join('\n');

t.test('markers and languages', async (t) => {
  const blocks = shellBlocks(
    doc(
      '# title',
      '```sh dev',
      'make dev',
      '```',
      '```sh',
      'A=1',
      'echo $A',
      '```',
      '```text',
      'not shell',
      '```',
      '```sh long quick="make bench ARGS=\'--quick\'"',
      'make bench',
      '```',
      '```console example',
      '$ ./blotter verify',
      '```',
      '  ```bash',
      '  indented',
      '  ```',
    ),
  );
  t.same(
    blocks.map((b) => [b.line, b.lang, b.marker, b.code, b.quick]),
    [
      [2, 'sh', 'dev', 'make dev\n', undefined],
      [5, 'sh', 'run', 'A=1\necho $A\n', undefined],
      [12, 'sh', 'long', 'make bench\n', "make bench ARGS='--quick'"],
      [15, 'console', 'example', '$ ./blotter verify\n', undefined],
      [18, 'bash', 'run', 'indented\n', undefined],
    ],
  );
});

t.test('what the harness cannot run is refused with its line', async (t) => {
  t.throws(() => shellBlocks(doc('x', '```sh skip', 'a', '```')), /line 2: unknown marker "skip"/);
  t.throws(() => shellBlocks(doc('```console', '$ a', '```')), /line 1: a console block shows output/);
  t.throws(() => shellBlocks(doc('```sh long', 'make bench', '```')), /line 1: a long block says how it runs/);
  t.throws(() => shellBlocks(doc('```sh example quick="x"', 'a', '```')), /quick="…" belongs to a long block/);
});
