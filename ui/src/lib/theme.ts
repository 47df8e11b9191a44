// The theme toggle: a plain, non-sensitive cookie the server reads to render the right theme
// without a flash. It holds nothing but "dark" or "light".
export type Theme = 'dark' | 'light';
export const THEME_COOKIE = 'blotter_theme';
export const nextTheme = (t: Theme): Theme => (t === 'dark' ? 'light' : 'dark');
export const themeCookie = (t: Theme, secure: boolean): string =>
  `${THEME_COOKIE}=${t}; Path=/; Max-Age=31536000; SameSite=Lax${secure ? '; Secure' : ''}`;
