import t from 'tap';
import { fieldOf, networkError, toApiError, unreachableBody } from '../src/lib/api-errors.ts';

t.test("the gateway's error envelope passes through with its field", async (t) => {
  const e = toApiError(422, {
    error: {
      code: 'FILTER_FAILURE',
      message: 'quantity 0.000015 is not a multiple of the step size 0.00001',
      details: { field: 'quantity', filter: 'LOT_SIZE' },
    },
  });
  t.same(e, {
    status: 422,
    code: 'FILTER_FAILURE',
    message: 'quantity 0.000015 is not a multiple of the step size 0.00001',
    field: 'quantity',
    details: { field: 'quantity', filter: 'LOT_SIZE' },
  });
  t.equal(toApiError(422, { error: { code: 'FILTER_FAILURE', message: 'm', details: { field: 'notional' } } }).field, 'notional');
  t.equal(toApiError(422, { error: { code: 'UNKNOWN_SYMBOL', message: 'm', details: { field: 'symbol' } } }).field, 'symbol');
  t.equal(toApiError(422, { error: { code: 'INSUFFICIENT_BALANCE', message: 'm' } }).field, null, 'no field: shown on the form');
});

t.test('validation details name the field by JSON pointer', async (t) => {
  t.equal(fieldOf([{ path: '/stopPrice', message: 'required' }]), 'stopPrice');
  t.equal(fieldOf([{ path: '/userId' }, { path: '/price/0' }]), 'price', 'first known field wins');
  t.equal(fieldOf({ field: 'password' }), null, 'only ticket fields');
  t.equal(fieldOf('quantity'), null);
  t.equal(fieldOf(null), null);
});

t.test('bodies that are not the envelope get a message by status', async (t) => {
  t.same(toApiError(502, '<html>bad gateway</html>'), {
    status: 502,
    code: 'SERVICE_UNAVAILABLE',
    message: 'The trading gateway is unreachable',
    field: null,
  });
  t.equal(toApiError(429, null).message, 'Too many requests: slow down and try again');
  t.equal(toApiError(418, {}).message, 'Request failed (418)');
  t.equal(toApiError(400, { error: { code: 'lower', message: 'x' } }).code, 'UNKNOWN', 'codes are upper-case in the contract');
});

t.test('network errors and the unreachable envelope', async (t) => {
  t.same(networkError(new TypeError('Failed to fetch')), {
    status: null,
    code: 'NETWORK',
    message: 'Network error: Failed to fetch',
    field: null,
  });
  t.equal(toApiError(503, unreachableBody()).code, 'SERVICE_UNAVAILABLE');
});
