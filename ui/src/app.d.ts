import type { Me } from '@blotter/schemas';
import type { Theme } from '$lib/theme.ts';

declare global {
  namespace App {
    interface Locals {
      /** The gateway JWT from the httpOnly cookie; server code only. */
      token: string | null;
      /** The session's user, validated with GET /api/me for this request; null when logged out. */
      user: Me | null;
      /** True when a session cookie exists but the gateway could not be asked about it. */
      gatewayDown: boolean;
      theme: Theme;
    }
    interface Error {
      message: string;
      code?: string;
    }
  }
}
