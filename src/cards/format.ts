/** Number, date and lab-value formatting shared by summaries and detail tables. */
import type { Analyte, LabValue } from '../features/types.js';

/** Short clinician-facing analyte names (display text, not codes). */
export const ANALYTE_LABEL: Record<Analyte, string> = {
  ferritin: 'ferritin',
  fibrinogen: 'fibrinogen',
  triglycerides: 'triglycerides',
  ast: 'AST',
  alt: 'ALT',
  bilirubinTotal: 'total bilirubin',
  bilirubinDirect: 'direct bilirubin',
  ldh: 'LDH',
  creatinine: 'creatinine',
  platelets: 'platelets',
  anc: 'ANC',
  neutrophilPct: 'neutrophils %',
  wbc: 'WBC',
  hemoglobin: 'hemoglobin',
  crp: 'CRP',
  il6: 'IL-6',
  sil2r: 'sCD25 (sIL-2R)',
  ddimer: 'D-dimer',
  pt: 'PT',
  inr: 'INR',
  aptt: 'aPTT',
  temperature: 'temperature',
};

/** Display order of analytes in evidence tables: key IEC-HS markers first. */
export const ANALYTE_ORDER: Analyte[] = [
  'ferritin', 'fibrinogen', 'triglycerides', 'ast', 'alt', 'bilirubinTotal', 'bilirubinDirect', 'ldh',
  'creatinine', 'platelets', 'anc', 'neutrophilPct', 'wbc', 'hemoglobin', 'crp', 'sil2r', 'il6', 'ddimer',
  'pt', 'inr', 'aptt', 'temperature',
];

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// Built once: toLocaleString with options builds a new Intl.NumberFormat on every call, which made
// number formatting the costliest step of a card.
const NUMBER_FORMATS = [0, 1, 2].map((digits) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }));

/** Thousands separators; fewer decimals as numbers grow (12,400 / 3.4 / 0.85). */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  return NUMBER_FORMATS[abs >= 100 ? 0 : abs >= 10 ? 1 : 2]!.format(value);
}

/** UCUM codes as clinicians write them; unitless INR shows no unit. */
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
