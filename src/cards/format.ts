/** Number, date and lab-value formatting shared by summaries and detail tables. */
import { displayUnit, num } from '../criteria/format.js';
import type { Analyte, LabValue } from '../features/types.js';
import { ANALYTES, ANALYTE_REGISTRY } from '../terminology/analytes.js';

/** Clinician-facing analyte names in card tables, from the analyte registry. */
export const ANALYTE_LABEL: Readonly<Record<Analyte, string>> = Object.fromEntries(
  ANALYTES.map((a) => [a, ANALYTE_REGISTRY[a].label]),
) as Record<Analyte, string>;

/** Display order of analytes in evidence tables (the registry's order: key IEC-HS markers first). */
export const ANALYTE_ORDER: readonly Analyte[] = ANALYTES;

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Thousands separators; fewer decimals as numbers grow (12,400 / 3.4 / 0.85). */
export const formatNumber = num;

export { displayUnit };

/** `12,400 ng/mL`, with a censoring comparator such as `>100,000 ng/mL`. */
export function formatLab(value: LabValue): string {
  const unit = displayUnit(value.unit);
  return `${value.comparator ?? ''}${formatNumber(value.value)}${unit ? ` ${unit}` : ''}`;
}

/** Change relative to a baseline: `8.3x` when it at least doubled, otherwise a signed percentage. */
export function formatRelativeChange(value: number, baseline: number): string | undefined {
  if (!(baseline > 0)) return undefined;
  const ratio = value / baseline;
  if (ratio >= 2) return `${ratio < 10 ? ratio.toFixed(1) : formatNumber(Math.round(ratio))}x`;
  const pct = Math.round((ratio - 1) * 100);
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${Math.abs(pct)}%`;
}

export function formatSignedDelta(delta: number): string {
  return `${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${formatNumber(Math.abs(delta))}`;
}

/** `2024-05-12 06:30` from an ISO 8601 instant, keeping the time zone the source wrote. */
export function formatDateTime(iso: string): string {
  return iso.length >= 16 ? iso.slice(0, 16).replace('T', ' ') : iso.slice(0, 10);
}

export function formatDay(day: number | undefined): string {
  return day === undefined ? '?' : String(day);
}

/** `ferritin, fibrinogen +3 more` — keeps summaries short. */
export function listWithMore(items: string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} +${items.length - max} more`;
}
