// A raw HTTP/1.1 client over a TCP socket, for what fetch and inject cannot send: duplicated headers,
// conflicting lengths, malformed request lines, oversized headers.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The connection closed without any response. */
  empty: boolean;
}

/** Sends `request` bytes as they are and reads the answer until the server closes (Connection: close). */
export function rawRequest(baseUrl: string, request: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`raw request timed out: ${String(request).slice(0, 80)}`));
    }, timeoutMs);
    socket.on('data', (c) => {
      chunks.push(c);
      // Keep-alive answers: stop once one whole response with Content-Length is in.
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, end));
      if (end >= 0 && m && Buffer.concat(chunks).length >= end + 4 + Number(m[1])) socket.end();
    });
    socket.on('error', () => {}); // a reset after the answer is fine
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(chunks)));
    });
    socket.write(request);
  });
}

function parse(raw: Buffer): RawResponse {
  const text = raw.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  if (!text || end < 0) return { status: 0, headers: {}, body: text, empty: true };
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = text.slice(end + 4);
  if (headers['transfer-encoding']?.includes('chunked')) body = unchunk(body);
  else if (headers['content-length']) body = Buffer.from(body).subarray(0, Number(headers['content-length'])).toString();
  return { status, headers, body, empty: false };
}

function unchunk(s: string): string {
  let out = '';
  let rest = s;
  while (rest.length) {
    const nl = rest.indexOf('\r\n');
    if (nl < 0) break;
    const size = Number.parseInt(rest.slice(0, nl), 16);
    if (!size) break;
    out += rest.slice(nl + 2, nl + 2 + size);
    rest = rest.slice(nl + 2 + size + 2);
  }
  return out;
}
