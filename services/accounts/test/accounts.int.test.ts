import { randomBytes } from 'node:crypto';
import t from 'tap';
import { createTestDatabase } from '@blotter/test-kit';
import {
  createKeyRing,
  createUser,
  EmailTakenError,
  findUserByEmail,
  grantRole,
  hashPassword,
  loadVenueKeys,
  migrateAccounts,
  rotateVenueKeys,
  storeVenueKeys,
  verifyPassword,
} from '../src/index.ts';

const tdb = await createTestDatabase({ migrate: false });
t.teardown(tdb.drop);
const db = tdb.accounts;
await migrateAccounts(db);

t.test('passwords: scrypt hashes verify the right password only', async (t) => {
  const hash = await hashPassword('correct horse battery');
  t.match(hash, /^scrypt\$32768\$8\$1\$/);
  t.ok(await verifyPassword('correct horse battery', hash));
  t.notOk(await verifyPassword('correct horse batterY', hash));
  t.notOk(await verifyPassword('x', 'md5$whatever'));
});

t.test('emails are unique case-insensitively', async (t) => {
  await createUser(db, {
    id: '0192f4a7-0000-7000-8000-000000000011',
    email: 'Ada@Example.com',
    passwordHash: 'x',
    roles: ['trader'],
    venue: 'paper',
  });
  await t.rejects(
    createUser(db, {
      id: '0192f4a7-0000-7000-8000-000000000012',
      email: 'ada@example.COM',
      passwordHash: 'x',
      roles: ['trader'],
      venue: 'paper',
    }),
    EmailTakenError,
  );
  t.equal((await findUserByEmail(db, ' ADA@example.com '))?.id, '0192f4a7-0000-7000-8000-000000000011');
  t.ok(await grantRole(db, '0192f4a7-0000-7000-8000-000000000011', 'auditor'));
  t.same((await findUserByEmail(db, 'ada@example.com'))?.roles, ['auditor']);
  t.notOk(await grantRole(db, '0192f4a7-0000-7000-8000-00000000dead', 'auditor'));
});

t.test('venue keys round-trip encrypted, survive rotation, and the row holds no plaintext', async (t) => {
  const userId = '0192f4a7-0000-7000-8000-000000000021';
  await createUser(db, { id: userId, email: 'keys@example.com', passwordHash: 'x', roles: ['trader'], venue: 'paper' });
  const oldKey = randomBytes(32);
  const secret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
  await storeVenueKeys(db, createKeyRing(oldKey), userId, { venue: 'binance-testnet', apiKey: 'KEY1234567890', apiSecret: secret });
  const raw = await db.selectFrom('venueCredentials').selectAll().where('userId', '=', userId).executeTakeFirstOrThrow();
  t.notOk(raw.ciphertext.toString('latin1').includes(secret.slice(0, 12)), 'ciphertext does not contain the secret');

  const rotated = createKeyRing(randomBytes(32), [oldKey]);
  t.equal(await rotateVenueKeys(db, rotated), 1);
  t.equal(await rotateVenueKeys(db, rotated), 0, 'rotation is idempotent');
  const newOnly = createKeyRing(randomBytes(32));
  await t.rejects(loadVenueKeys(db, newOnly, userId, 'binance-testnet'), /no encryption key/);
  const keys = await loadVenueKeys(db, rotated, userId, 'binance-testnet');
  t.match(keys, { apiKey: 'KEY1234567890', apiSecret: secret, venue: 'binance-testnet' });
});
