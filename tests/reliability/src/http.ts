// A bare HTTP call to a gateway, for the scenario tests (no retries: they assert on each answer).
export interface Answer {
  status: number;
  json: Record<string, unknown> & { order?: { orderId: string; status: string }; error?: { code: string; message: string } };
  ms: number;
}

export async function call(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  timeoutMs = 20_000,
): Promise<Answer> {
  const t0 = Date.now();
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: Answer['json'] = {};
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, ms: Date.now() - t0 };
}

/** The outcome of a call that may fail at the connection level: its status, or the error's code. */
export async function attempt(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<Answer | { error: string; ms: number }> {
  const t0 = Date.now();
  try {
    return await call(base, method, path, token, body);
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string } };
    return { error: e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.name ?? 'error'), ms: Date.now() - t0 };
  }
}
