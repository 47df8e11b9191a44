// The README's endpoint table is what is served: every row an endpoint, every endpoint a row.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { ENDPOINTS } from '../src/api/endpoints.ts';

t.test('the README lists exactly the served operations, with their security types', async (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('<!-- endpoints:start -->'), readme.indexOf('<!-- endpoints:end -->'));
  const rows = [...table.matchAll(/^\| `(GET|POST|PUT|DELETE) ([^`]+)`\s*\| `([^`]+)`\s*\|[^|]*\| (\w+)\s*\|$/gm)].map(
    (m) => `${m[1]} ${m[2]} ${m[3]} ${m[4]}`,
  );
  const served = ENDPOINTS.map((e) => `${e.rest?.method} ${e.rest?.path} ${e.ws} ${e.security}`);
  t.same(rows.sort(), served.sort());
  t.ok(rows.length >= 29);
});
