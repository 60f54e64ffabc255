/** Lengths of time in milliseconds, defined once for every layer (UTC arithmetic; calendar days are src/features/time.ts's job). */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
