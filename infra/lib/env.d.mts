/** Throws one readable line when Node is older than the project needs. */
export function assertNodeVersion(): void;
/** The variables of one env file; {} when it does not exist. */
export function readEnvFile(path: string): Record<string, string>;
/** The caller's environment, then .data/infra.env, then .env (see env.mjs). */
export function projectEnv(root: string, base?: Record<string, string | undefined>): Record<string, string>;
