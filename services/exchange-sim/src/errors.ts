// Binance's error model: every rejection is `{code, msg}` with an HTTP status, and the codes are
// what clients branch on, so they are spelled exactly as Binance documents them (errors.md).
export class BinanceError extends Error {
  override name = 'BinanceError';
  constructor(
    readonly code: number,
    msg: string,
    readonly httpStatus = 400,
    /** Extra detail some errors carry (cancel-replace results, a ban's end). */
    readonly data?: unknown,
    /** Seconds until a rate-limited client may retry (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(msg);
  }
  toJSON(): { code: number; msg: string; data?: unknown } {
    return this.data === undefined ? { code: this.code, msg: this.message } : { code: this.code, msg: this.message, data: this.data };
  }
}

export const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';

export const errors = {
  unknown: (msg = 'An unknown error occurred while processing the request.') => new BinanceError(-1000, msg),
  tooMuchWeight: (limit: number, retryAfterSeconds: number) =>
    new BinanceError(
      -1003,
      `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
      429,
      undefined,
      retryAfterSeconds,
    ),
  tooManyRequests: (retryAfterSeconds = 60) =>
    new BinanceError(
      -1003,
      'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
      429,
      undefined,
      retryAfterSeconds,
    ),
  ipBanned: (until: number, retryAfterSeconds: number) =>
    new BinanceError(
      -1003,
      `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`,
      418,
      undefined,
      retryAfterSeconds,
    ),
  filter: (filter: string) => new BinanceError(-1013, `Filter failure: ${filter}`),
  stpModeNotAllowed: () => new BinanceError(-1013, 'This symbol does not allow the specified self-trade prevention mode.'),
  tooManyOrders: (limit: number, interval: string, retryAfterSeconds: number) =>
    new BinanceError(-1015, `Too many new orders; current limit is ${limit} orders per ${interval}.`, 429, undefined, retryAfterSeconds),
  unsupported: () => new BinanceError(-1020, 'This operation is not supported.', 404),
  timestampOutside: () => new BinanceError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  timestampAhead: () => new BinanceError(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  badSignature: () => new BinanceError(-1022, 'Signature for this request is not valid.'),
  illegalChars: (param: string, range: string) =>
    new BinanceError(-1100, `Illegal characters found in parameter '${param}'; legal range is '${range}'.`),
  duplicateParam: () => new BinanceError(-1101, 'Duplicate values for a parameter detected.'),
  tooManyParams: () => new BinanceError(-1101, 'Too many parameters sent for this endpoint.'),
  mandatory: (param: string) => new BinanceError(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  malformed: () => new BinanceError(-1102, 'Field value was empty or malformed.'),
  eitherParam: (a: string, b: string) => new BinanceError(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  notRequired: (param: string) => new BinanceError(-1106, `Parameter '${param}' sent when not required.`),
  tooMuchPrecision: (param: string) => new BinanceError(-1111, `Parameter '${param}' has too much precision.`),
  invalidTimeInForce: () => new BinanceError(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => new BinanceError(-1116, 'Invalid orderType.'),
  invalidSide: () => new BinanceError(-1117, 'Invalid side.'),
  invalidInterval: () => new BinanceError(-1120, 'Invalid interval.'),
  invalidSymbol: () => new BinanceError(-1121, 'Invalid symbol.'),
  lookupTooBig: (hours: number) => new BinanceError(-1127, `More than ${hours} hours between startTime and endTime.`),
  badCombination: () => new BinanceError(-1128, 'Combination of optional parameters invalid.'),
  invalidParam: (param: string) => new BinanceError(-1130, `Data sent for parameter '${param}' is not valid.`),
  recvWindowTooBig: () => new BinanceError(-1131, 'recvWindow must be less than 60000.'),
  invalidTickerType: () => new BinanceError(-1139, 'Invalid ticker type.'),
  invalidCancelRestrictions: () => new BinanceError(-1145, 'Invalid cancelRestrictions'),
  symbolStatusMismatch: () => new BinanceError(-1220, "The symbol's status does not match the requested symbolStatus."),
  duplicateSymbols: () => new BinanceError(-1151, 'Symbol is present multiple times in the list.'),
  newOrderRejected: (msg: string) => new BinanceError(-2010, msg),
  insufficientBalance: () => new BinanceError(-2010, 'Account has insufficient balance for requested action.'),
  unknownOrder: () => new BinanceError(-2011, 'Unknown order sent.'),
  cancelRestricted: () => new BinanceError(-2011, 'Order was not canceled due to cancel restrictions.'),
  noSuchOrder: () => new BinanceError(-2013, 'Order does not exist.'),
  badApiKeyFormat: () => new BinanceError(-2014, 'API-key format invalid.', 401),
  rejectedApiKey: () => new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
  cancelReplacePartial: (data: unknown) => new BinanceError(-2021, 'Order cancel-replace partially failed.', 409, data),
  cancelReplaceFailed: (data: unknown) => new BinanceError(-2022, 'Order cancel-replace failed.', 400, data),
  subscriptionActive: () => new BinanceError(-2035, 'User Data Stream subscription already active.'),
  subscriptionInactive: () => new BinanceError(-2036, 'User Data Stream subscription not active.'),
  amendRejected: (msg: string) => new BinanceError(-2038, msg),
  clientOrderIdInvalid: () => new BinanceError(-2039, 'Client order ID is not correct for this order ID.'),
};
