// How node-binance-api must be configured to talk to the simulator instead of Binance.
export interface Credentials {
  apiKey: string;
  apiSecret: string;
}

export interface SimUrls {
  /** REST base, used by node-binance-api as `urls.base` (it appends "v3/order" etc.). */
  apiBase: string;
  streamUrl: string;
  combineStreamUrl: string;
  wsApiUrl: string;
}

export function simUrls(httpUrl: string): SimUrls {
  const ws = httpUrl.replace(/^http/, 'ws');
  return {
    apiBase: `${httpUrl}/api/`,
    streamUrl: `${ws}/ws/`,
    combineStreamUrl: `${ws}/stream?streams=`,
    wsApiUrl: `${ws}/ws-api/v3`,
  };
}

/**
 * Constructor options for `new Binance(...)`. `test` must stay false: true would switch the client
 * to the public testnet. The WebSocket API URL is not an option in node-binance-api 1.0.33; set
 * `client.wsApi = urls.wsApiUrl` on the instance (see `pointClientAtSimulator`).
 */
export function binanceOptions(urls: SimUrls, creds: Credentials, recvWindow = 10_000) {
  return {
    APIKEY: creds.apiKey,
    APISECRET: creds.apiSecret,
    test: false,
    recvWindow,
    urls: { base: urls.apiBase, stream: urls.streamUrl, combineStream: urls.combineStreamUrl },
  };
}

/** Points an existing client's WebSocket API (user-data stream) at the simulator. */
export function pointClientAtSimulator<C extends { wsApi: string }>(client: C, urls: SimUrls): C {
  client.wsApi = urls.wsApiUrl;
  return client;
}
