// What `make dev` shows a person: the services' warnings and errors (pretty when a terminal is
// attached, JSON lines otherwise), never their routine info lines. Every line still goes to the
// service's log file under .data/logs; LOG_LEVEL in .env or the shell shows every line at that level.
import { prettyFactory } from 'pino-pretty';

const WARN = 40;

/**
 * A function that turns one line a service wrote into what the terminal shows, or null to hide it.
 * `everything`: show every line (the person asked for a log level).
 */
export function lineFilter({ tty, everything }) {
  const pretty = tty ? prettyFactory({ colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }) : null;
  return (line) => {
    if (!line.trim()) return null;
    if (!line.startsWith('{')) return line;
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      return line;
    }
    if (!everything && typeof entry.level === 'number' && entry.level < WARN) return null;
    return pretty ? pretty(entry).trimEnd() : line;
  };
}
