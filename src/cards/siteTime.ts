/**
 * Times as clinicians at the site read them: in the site's IANA time zone (PatientTimeline.timeZone)
 * with its abbreviation ("May 12 04:00 EDT"). Without a zone, or with one the runtime does not know,
 * UTC, labelled as such: a wrong zone must never pass for local time.
 */

const formatters = new Map<string, { dateTime: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

function formattersFor(timeZone: string | undefined): { dateTime: Intl.DateTimeFormat; time: Intl.DateTimeFormat } {
  const key = timeZone ?? 'UTC';
  const cached = formatters.get(key);
  if (cached) return cached;
  let made: { dateTime: Intl.DateTimeFormat; time: Intl.DateTimeFormat };
  try {
    const base = { timeZone: key, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' } as const;
    made = {
      dateTime: new Intl.DateTimeFormat('en-US', { ...base, month: 'short', day: 'numeric' }),
      time: new Intl.DateTimeFormat('en-US', base),
    };
  } catch {
    return formattersFor(undefined);
  }
  formatters.set(key, made);
  return made;
}

function valid(iso: string): Date | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `May 12 04:00 EDT`; the ISO text itself when it does not parse. */
export function siteDateTime(iso: string, timeZone: string | undefined): string {
  const date = valid(iso);
  return date ? formattersFor(timeZone).dateTime.format(date).replace(',', '') : iso;
}

/** `04:00 EDT`. */
export function siteTime(iso: string, timeZone: string | undefined): string {
  const date = valid(iso);
  return date ? formattersFor(timeZone).time.format(date) : iso;
}
