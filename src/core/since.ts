/**
 * `--since 1h` and `/findings?since=…` (issue 13): a duration back from now (`90s`, `30m`, `1h`, `7d`,
 * `2w`), an ISO 8601 date or time, or epoch milliseconds. Anything else is an error with a message
 * saying what is accepted, never a silent "all time".
 */
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export class SinceError extends Error {
  override readonly name = 'SinceError';
}

/** Epoch milliseconds for `text`, relative to `now`. */
export function parseSince(text: string, now: number): number {
  const value = text.trim();
  const duration = /^(\d{1,9})([smhdw])$/.exec(value);
  if (duration) return now - Number(duration[1]) * (UNITS[duration[2] as string] as number);
  if (/^\d{10,15}$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return time;
  }
  throw new SinceError(`"${value.slice(0, 40)}" is not a time: use a duration (30m, 1h, 7d), an ISO date (2026-05-01, 2026-05-01T12:00Z) or epoch milliseconds`);
}
