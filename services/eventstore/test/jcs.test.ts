// The hash chain's canonical JSON is RFC 8785 (JCS): checked against the RFC's own examples, so a
// verifier in any language, using any JCS library, recomputes the same commit hashes.
import t from 'tap';
import { canonicalJson } from '../src/hash.ts';

t.test('RFC 8785 §3.2.2: the sample input canonicalizes to the sample output', async (t) => {
  // Section 3.2.2's input, as parsed (the literals below are what the RFC's text parses to).
  const input = JSON.parse(
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
  );
  t.equal(
    canonicalJson(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

t.test('RFC 8785 §3.2.3: members sorted by the UTF-16 code units of their names', async (t) => {
  const input = {
    '€': 'Euro Sign',
    '\r': 'Carriage Return',
    '\ufb33': 'Hebrew Letter Dalet With Dagesh',
    '1': 'One',
    '\u{1f600}': 'Emoji: Grinning Face',
    '\u0080': 'Control',
    ö: 'Latin Small Letter O With Diaeresis',
  };
  // (Not via Object.keys of the parsed output: JavaScript lists integer-like names such as "1" first.)
  const out = canonicalJson(input);
  const at = ['\r', '1', '\u0080', 'ö', '€', '\u{1f600}', '\ufb33'].map((k) => out.indexOf(`${JSON.stringify(k)}:`));
  t.notOk(at.includes(-1), 'every name is written');
  t.same(
    at,
    [...at].sort((a, b) => a - b),
    'the order the RFC lists ("\\r", "1", U+0080, U+00F6, U+20AC, U+1F600, U+FB33)',
  );
  t.equal(
    canonicalJson(input),
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
});

t.test('RFC 8785 Appendix B: numbers as ECMAScript writes them', async (t) => {
  const bits = (hex: string) => new DataView(new BigUint64Array([BigInt(`0x${hex}`)]).buffer).getFloat64(0, true);
  const vectors: [string, string][] = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];
  for (const [hex, expected] of vectors) t.equal(canonicalJson(bits(hex)), expected, `0x${hex}`);
  for (const hex of ['7fffffffffffffff', '7ff0000000000000'])
    t.throws(() => canonicalJson(bits(hex)), TypeError, `0x${hex} (NaN/Infinity) is refused`);
});

t.test('what JCS leaves out: undefined members; nested values keep the same rules', async (t) => {
  t.equal(canonicalJson({ b: [{ z: 1, a: undefined, y: 'x' }], a: null }), '{"a":null,"b":[{"y":"x","z":1}]}');
});
