import t from 'tap';
import Type from 'typebox';
import { ConfigError, parseEnv, SECRET_PLACEHOLDER, Secret } from '../src/index.ts';

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

t.test('a secret holding the placeholder of .env.example is refused, with what to run', async (t) => {
  const Secrets = Type.Object({ TOKEN: Secret({ minLength: 8 }), OPTIONAL: Secret({ default: '' }) });
  t.same(parseEnv(Secrets, { TOKEN: 'a-real-token' }), { TOKEN: 'a-real-token', OPTIONAL: '' });
  for (const value of [SECRET_PLACEHOLDER, `${SECRET_PLACEHOLDER}-and-more`, `${SECRET_PLACEHOLDER}   # >= 32 characters`, 'CHANGE-ME'])
    t.throws(
      () => parseEnv(Secrets, { TOKEN: value }),
      { name: 'ConfigError', message: /^TOKEN is still the placeholder from \.env\.example.*make dev/ },
      value,
    );
  t.throws(() => parseEnv(Secrets, { TOKEN: 'a-real-token', OPTIONAL: SECRET_PLACEHOLDER }), /^OPTIONAL is still the placeholder/);
  const Plain = Type.Object({ NAME: Type.String() });
  t.same(parseEnv(Plain, { NAME: SECRET_PLACEHOLDER }), { NAME: SECRET_PLACEHOLDER }, 'only secrets are checked');
});
