/** The most takes (`--takes N`) any configuration allows; `MAX_TAKES` (default 4) picks the limit below it. */
export const takesCeiling = 10;
export const defaultMaxTakes = 4;
