import t from 'tap';
import Type from 'typebox';
import { ConfigError, parseEnv } from '../src/index.ts';

const Schema = Type.Object({
  URL: Type.String(),
  PORT: Type.Integer({ default: 3001 }),
  VERBOSE: Type.Boolean({ default: false }),
  SECRET: Type.String({ minLength: 16 }),
});

t.test('converts, defaults and names what is missing or wrong', async (t) => {
  t.same(parseEnv(Schema, { URL: 'x', SECRET: 'a'.repeat(16), PORT: '8080', VERBOSE: 'true' }), {
    URL: 'x',
    SECRET: 'a'.repeat(16),
    PORT: 8080,
    VERBOSE: true,
  });
  t.match(parseEnv(Schema, { URL: 'x', SECRET: 'a'.repeat(16) }), { PORT: 3001, VERBOSE: false });
  t.throws(() => parseEnv(Schema, { PORT: '1' }), ConfigError);
  t.throws(() => parseEnv(Schema, { PORT: '1' }), /missing URL, SECRET/);
  t.throws(() => parseEnv(Schema, { URL: 'x', SECRET: 'short' }), /SECRET/);
  t.throws(() => parseEnv(Schema, { URL: 'x', SECRET: 'a'.repeat(16), PORT: 'eighty' }), /PORT/);
  t.throws(() => parseEnv(Schema, { URL: '', SECRET: 'a'.repeat(16) }), /missing URL/, 'empty means unset');
});
