// Binance's error model: every rejection is `{code, msg}` with an HTTP status, and the codes are
// what clients branch on, so they are spelled exactly as Binance documents them.
export class BinanceError extends Error {
  override name = 'BinanceError';
  constructor(
    readonly code: number,
    msg: string,
    readonly httpStatus = 400,
  ) {
    super(msg);
  }
  toJSON(): { code: number; msg: string } {
    return { code: this.code, msg: this.message };
  }
}

export const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';

export const errors = {
  unknown: (msg = 'An unknown error occurred while processing the request.') => new BinanceError(-1000, msg),
  tooManyRequests: () =>
    new BinanceError(
      -1003,
      'Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.',
      429,
    ),
  filter: (filter: string) => new BinanceError(-1013, `Filter failure: ${filter}`),
  timestampOutside: () => new BinanceError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  timestampAhead: () => new BinanceError(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  badSignature: () => new BinanceError(-1022, 'Signature for this request is not valid.'),
  illegalChars: (param: string, range: string) =>
    new BinanceError(-1100, `Illegal characters found in parameter '${param}'; legal range is '${range}'.`),
  duplicateParam: () => new BinanceError(-1101, 'Duplicate values for a parameter detected.'),
  mandatory: (param: string) => new BinanceError(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  eitherParam: (a: string, b: string) => new BinanceError(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  notRequired: (param: string) => new BinanceError(-1106, `Parameter '${param}' sent when not required.`),
  tooMuchPrecision: (param: string) => new BinanceError(-1111, `Parameter '${param}' has too much precision.`),
  invalidTimeInForce: () => new BinanceError(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => new BinanceError(-1116, 'Invalid orderType.'),
  invalidSide: () => new BinanceError(-1117, 'Invalid side.'),
  invalidInterval: () => new BinanceError(-1120, 'Invalid interval.'),
  invalidSymbol: () => new BinanceError(-1121, 'Invalid symbol.'),
  invalidParam: (param: string) => new BinanceError(-1130, `Data sent for parameter '${param}' is not valid.`),
  recvWindowTooBig: () => new BinanceError(-1131, 'recvWindow must be less than 60000.'),
  newOrderRejected: (msg: string) => new BinanceError(-2010, msg),
  insufficientBalance: () => new BinanceError(-2010, 'Account has insufficient balance for requested action.'),
  unknownOrder: () => new BinanceError(-2011, 'Unknown order sent.'),
  noSuchOrder: () => new BinanceError(-2013, 'Order does not exist.'),
  badApiKeyFormat: () => new BinanceError(-2014, 'API-key format invalid.', 401),
  rejectedApiKey: () => new BinanceError(-2015, 'Invalid API-key, IP, or permissions for action.', 401),
};
