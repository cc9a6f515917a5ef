/** ISO-8601 with milliseconds and Z, as Scale prints timestamps; null stays null. */
export function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}
