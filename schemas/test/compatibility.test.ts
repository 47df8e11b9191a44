// The compatibility guard: the catalog of today against the committed snapshot of every published
// schema version (schemas/snapshots/). A change that would break an existing reader or writer of a
// version fails here, naming the schema, the version and the reason. Additive changes pass; a
// breaking one needs a new event version with an upcaster instead. Refresh the snapshots after an
// additive change with `pnpm --filter @blotter/schemas run snapshot`.
import t from 'tap';
import { compareWithSnapshots } from '../src/compat.ts';
import { eventDefinitions } from '../src/events.ts';
import { currentSchemas, readSnapshots } from '../src/snapshot-files.ts';

const snapshots = readSnapshots();
const current = currentSchemas();

t.test('every published schema version can still be read as it was published', async (t) => {
  t.ok(snapshots.length >= eventDefinitions.length, `${snapshots.length} snapshots`);
  const { breaking, unsnapshotted } = compareWithSnapshots(snapshots, current);
  for (const line of breaking) t.fail(line);
  if (breaking.length === 0) t.pass(`${snapshots.length} snapshots still hold`);
  if (unsnapshotted.length > 0) t.comment(`new, not yet snapshotted (run the snapshot script): ${unsnapshotted.join(', ')}`);
});

t.test('every older event version is snapshotted, so its frozen shape is guarded', async (t) => {
  const snapped = new Set(snapshots.map((s) => `${s.name}.v${s.version}`));
  for (const s of current.filter((c) => c.frozen)) t.ok(snapped.has(`${s.name}.v${s.version}`), `${s.name} v${s.version} has a snapshot`);
});

t.test('the guard catches a breaking edit of the catalog (OrderRejected without reason)', async (t) => {
  const edited = current.map((c) => {
    if (c.name !== 'OrderRejected') return c;
    const schema = structuredClone(c.schema) as { properties: Record<string, unknown>; required: string[] };
    delete schema.properties.reason;
    schema.required = schema.required.filter((r) => r !== 'reason');
    return { ...c, schema };
  });
  t.same(compareWithSnapshots(snapshots, edited).breaking, ['OrderRejected v1: property "reason": removed']);
});
