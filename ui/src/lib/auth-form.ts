// Login and registration field rules, shared by the form action (authoritative) and the page
// (instant feedback). They mirror the gateway's Credentials schema: an email, 8+ characters.
export interface CredentialErrors {
  email?: string;
  password?: string;
  form?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD = 8;

export function checkEmail(email: string): string | null {
  if (email.trim() === '') return 'Enter your email address';
  if (!EMAIL.test(email.trim()) || email.length > 254) return 'Enter a valid email address, like ada@example.com';
  return null;
}

export function checkPassword(password: string): string | null {
  if (password === '') return 'Enter a password';
  if (password.length < MIN_PASSWORD) return `The password must be at least ${MIN_PASSWORD} characters`;
  if (password.length > 256) return 'The password must be at most 256 characters';
  return null;
}

export function checkCredentials(email: string, password: string): CredentialErrors {
  const errors: CredentialErrors = {};
  const e = checkEmail(email);
  if (e) errors.email = e;
  const p = checkPassword(password);
  if (p) errors.password = p;
  return errors;
}

/** Where the gateway's answer belongs on the form: EMAIL_TAKEN by the email, the rest on top. */
export function credentialErrorsFor(code: string, message: string, details?: unknown): CredentialErrors {
  if (code === 'EMAIL_TAKEN') return { email: message };
  if (code === 'VALIDATION_FAILED' && Array.isArray(details)) {
    const out: CredentialErrors = {};
    for (const d of details) {
      if (d && typeof d === 'object' && 'path' in d && typeof d.path === 'string') {
        if (d.path.startsWith('/email')) out.email = 'Enter a valid email address, like ada@example.com';
        if (d.path.startsWith('/password')) out.password = `The password must be at least ${MIN_PASSWORD} characters`;
      }
    }
    if (out.email || out.password) return out;
  }
  return { form: message };
}

/** Only same-site paths are followed after login: `//evil.example` and `https://...` are not. */
export function safeRedirect(target: string | null | undefined, fallback = '/trade/BTCUSDT'): string {
  if (!target?.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  if (target.startsWith('/login') || target.startsWith('/register') || target.startsWith('/logout')) return fallback;
  return target;
}
