export const TICK = 250;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const TICKS_PER_MINUTE = MINUTE / TICK;
