// What the session's roles open up. Roles come from GET /api/me (the accounts database); the
// gateway itself checks the roles in the token, which are fixed at login.
export const isAuditor = (roles: readonly string[]) => roles.includes('auditor');
export const isTrader = (roles: readonly string[]) => roles.includes('trader');
/** Traders trade; an auditor-only account has nothing to do on the trade page. */
export const canTrade = (roles: readonly string[]) => isTrader(roles) || !isAuditor(roles);
/** Where a session lands after login (unless it asked for a page) and on `/`. */
export const homeFor = (roles: readonly string[]) => (canTrade(roles) ? '/trade/BTCUSDT' : '/audit');
