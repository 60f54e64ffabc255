/** Display helpers of the app: times in the site time zone, flags as words with symbols, ranges with units. */
import { displayUnit, num } from '../criteria/format.js';
import type { LabValue } from '../features/types.js';

export { displayUnit, num };

/** The site time zone when configured or known from the record, else the browser's own. */
export function resolveTimeZone(...candidates: (string | undefined)[]): string {
  for (const tz of candidates) {
    if (!tz) continue;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return tz;
    } catch {
      // not an IANA zone this browser knows: try the next one
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export interface TimeFormat {
  zone: string;
  /** `Mar 4, 2026, 14:05`. */
  dateTime(epochMs: number): string;
  /** `EST`, `GMT+1`: the zone's short name at that time. */
  zoneName(epochMs: number): string;
  /** Milliseconds east of UTC at that time (for local-day arithmetic). */
  offsetMs(epochMs: number): number;
}

export function timeFormat(zone: string): TimeFormat {
  const dateTime = new Intl.DateTimeFormat('en-US', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });
  const named = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' });
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  return {
    zone,
    dateTime: (ms) => dateTime.format(new Date(ms)),
    zoneName: (ms) => named.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? zone,
    offsetMs: (ms) => {
      const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.formatToParts(new Date(ms)).find((p) => p.type === type)?.value ?? 0);
      const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
      return asUtc - Math.floor(ms / 1000) * 1000;
    },
  };
}

export type Flag = 'high' | 'low' | undefined;

/** Above or below the value's own reference range (or the documented default range). */
export function flagOf(v: LabValue): Flag {
  if (v.high !== undefined && v.value > v.high) return 'high';
  if (v.low !== undefined && v.value < v.low) return 'low';
  return undefined;
}

/** Word and symbol shown; the symbol is decoration, the word carries the meaning. */
export function flagText(flag: Flag): { symbol: string; word: string; label: string } | undefined {
  if (flag === 'high') return { symbol: '▲', word: 'High', label: 'above the reference range' };
  if (flag === 'low') return { symbol: '▼', word: 'Low', label: 'below the reference range' };
  return undefined;
}

/** `150-400 mg/dL`, `< 400 ng/mL`, with "(default)" when the lab sent none. */
export function rangeText(v: LabValue): string {
  const unit = displayUnit(v.unit);
  let text: string;
  if (v.low !== undefined && v.high !== undefined) text = `${num(v.low)}-${num(v.high)} ${unit}`;
  else if (v.high !== undefined) text = `≤ ${num(v.high)} ${unit}`;
  else if (v.low !== undefined) text = `≥ ${num(v.low)} ${unit}`;
  else return 'no range';
  return v.rangeSource === 'default' ? `${text} (default range)` : text;
}

export function valueWithUnit(v: LabValue): string {
  return `${v.comparator ?? ''}${num(v.value)} ${displayUnit(v.unit)}`.trim();
}
