/** This clone's database name on a shared Postgres (see database.mjs). */
export function cloneDatabaseName(root: string): string;
