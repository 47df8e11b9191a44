export function buildOnce(options: {
  /** A directory path; whoever creates it builds. */
  lock: string;
  isCurrent(): boolean;
  build(): void;
  /** What is built, for the timeout's message. */
  what: string;
  /** A lock older than this was left by a dead builder and is taken over. */
  staleMs: number;
  giveUpMs: number;
}): void;
