export function exitWhenWritten(code: number): Promise<never>;
