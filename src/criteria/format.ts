/** Display text for assessment summaries and evidence labels (what clinicians read). */
import type { Analyte, LabValue } from '../features/types.js';
import { ANALYTES, ANALYTE_REGISTRY } from '../terminology/analytes.js';

/** Short analyte names in assessment prose, from the analyte registry. */
export const ANALYTE_NAME: Readonly<Record<Analyte, string>> = Object.fromEntries(
  ANALYTES.map((a) => [a, ANALYTE_REGISTRY[a].name]),
) as Record<Analyte, string>;

/** UCUM codes as clinicians write them; unitless INR shows no unit. Shared with the cards. */
const UNIT_DISPLAY: Readonly<Record<string, string>> = {
  '10*9/L': '×10⁹/L',
  '10*3/uL': '×10³/µL',
  '{INR}': '',
  '{ratio}': '',
  '1': '',
  Cel: '°C',
  ug: 'µg',
  'ug/L': 'µg/L',
  'umol/L': 'µmol/L',
};

export function displayUnit(unit: string): string {
  return UNIT_DISPLAY[unit] ?? unit;
}

// Formatters built once: toLocaleString builds a new one per call, which is slow on 20,000-value series.
const FORMATTERS = [0, 1, 2].map((digits) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }));

/** Thousands separators; fewer decimals as numbers grow (12,400 / 38.5 / 1.25). */
export function num(value: number): string {
  // Most numbers shown are whole (thresholds, counts); Intl costs ~1 µs a call, ~100 calls per evaluation.
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) return groupedInteger(value);
  const abs = Math.abs(value);
  const [whole, one, two] = FORMATTERS;
  return (abs >= 100 ? whole : abs >= 10 ? one : two)?.format(value) ?? String(value);
}

/** A safe integer as en-US Intl.NumberFormat writes it: "-12,400". */
function groupedInteger(value: number): string {
  const digits = String(Math.abs(value));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return value < 0 ? `-${out}` : out;
}

export function withUnit(value: number, unit: string): string {
  const shown = displayUnit(unit);
  return shown ? `${num(value)} ${shown}` : num(value);
}

/** `12,400 ng/mL (day 11)`. */
export function valueText(v: LabValue): string {
  const day = v.day === undefined ? '' : ` (day ${v.day})`;
  return `${v.comparator ?? ''}${withUnit(v.value, v.unit)}${day}`;
}

/** `ferritin 12,400 ng/mL (day 11)`. */
export function lab(v: LabValue): string {
  return `${ANALYTE_NAME[v.analyte]} ${valueText(v)}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
