// Security headers on every UI response. The CSP itself is SvelteKit's (svelte.config.js, with a
// per-response nonce for its bootstrap script); at run time the gateway's WebSocket origin is
// added to connect-src, since only the environment knows it.
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** Adds `sources` to the policy's connect-src (creating it from default-src if missing). */
export function withConnectSrc(policy: string, sources: readonly string[]): string {
  const directives = policy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  const idx = directives.findIndex((d) => d.split(/\s+/)[0] === 'connect-src');
  if (idx >= 0) {
    const current = directives[idx]?.split(/\s+/) ?? ['connect-src'];
    const added = sources.filter((s) => !current.includes(s));
    directives[idx] = [...current, ...added].join(' ');
  } else {
    const fallback = directives
      .find((d) => d.split(/\s+/)[0] === 'default-src')
      ?.split(/\s+/)
      .slice(1) ?? ["'self'"];
    directives.push(['connect-src', ...fallback, ...sources.filter((s) => !fallback.includes(s))].join(' '));
  }
  return directives.join('; ');
}
