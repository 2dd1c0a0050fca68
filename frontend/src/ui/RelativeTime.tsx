// No weeks: "in 7 days" says what an invitation valid for 7 days promises,
// "next week" does not.
const units: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** exactTime formats an instant in the viewer's time zone, zone name included. */
export const exactTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });

/**
 * nearly is how close to a whole unit a time must come to be counted in it:
 * a moment short of 7 days is 7 days, not 6 days and 23 hours.
 */
const nearly = 0.99;

/**
 * relativeTime says how long ago (or ahead) iso is from now, e.g. "5 minutes
 * ago", rounded to the nearest whole unit: an invitation valid for 7 days
 * reads "in 7 days" right after it was sent, not "in 6 days".
 */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size * nearly || unit === 'second') {
      return relative.format(Math.round(seconds / size), unit);
    }
  }
  return relative.format(0, 'second');
}

interface RelativeTimeProps {
  iso: string;
}

/** RelativeTime shows an instant relative to now, with the exact time in the viewer's zone on hover. */
export function RelativeTime({ iso }: RelativeTimeProps) {
  const exact = exactTime.format(new Date(iso));
  return (
    <time dateTime={iso} title={exact}>
      {relativeTime(iso)}
    </time>
  );
}
