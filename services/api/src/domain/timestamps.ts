/** Scale's timestamp parameters: an ISO-8601 date-time, or an ISO-8601 duration meaning "that long before now". */

const DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

const SECOND = 1000;
const DAY = 86_400 * SECOND;
/** Years and months have no fixed length; Scale (isodate) uses calendar arithmetic, 365 and 30 days are close enough. */
const UNIT_MS = [365 * DAY, 30 * DAY, 7 * DAY, DAY, 3600 * SECOND, 60 * SECOND, SECOND];

/** Duration in milliseconds, or null when the text is not an ISO-8601 duration. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return null;
  let ms = 0;
  for (const [index, unit] of UNIT_MS.entries()) {
    const value = match[index + 1];
    if (value !== undefined) ms += Number(value) * unit;
  }
  return ms;
}

/** A date-time (UTC when no offset is given) or `now - duration`; null when neither. */
export function parseTimestamp(text: string, now: Date): Date | null {
  const value = text.trim();
  const duration = parseDuration(value);
  if (duration !== null) return new Date(now.getTime() - duration);
  const match = DATE_TIME.exec(value);
  if (!match) return null;
  const hasTime = value.length > 10;
  const iso = hasTime && match[1] === undefined ? `${value.replace(' ', 'T')}Z` : value.replace(' ', 'T');
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
