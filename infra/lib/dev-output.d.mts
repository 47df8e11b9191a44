export function lineFilter(options: { tty: boolean; everything: boolean }): (line: string) => string | null;
