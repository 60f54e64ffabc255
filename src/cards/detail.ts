/**
 * The markdown `detail` of a card: evidence table, CRS timing, every criteria set side by side, what is
 * missing, and (for IEC-HS cards) the management consideration. Everything that came from the EHR is
 * escaped; UNVERIFIED thresholds are labelled as such.
 */
import type { Analyte, LabSeries, LabValue } from '../features/types.js';
import type { Assessment, CriterionStatus, Evaluation } from '../criteria/types.js';
import { isThresholdId, thresholdRow } from '../criteria/thresholds.js';
import type { CardContext } from './index.js';
import {
  ANALYTE_LABEL,
  ANALYTE_ORDER,
  capitalize,
  formatDateTime,
  formatDay,
  formatLab,
  formatNumber,
  formatRelativeChange,
  formatSignedDelta,
} from './format.js';
import { GUIDELINE, managementMarkdown, timingContext } from './guidance.js';
import { bulletList, escapeMarkdown, heading, table } from './markdown.js';

const STATUS_TEXT: Record<CriterionStatus, string> = {
  met: '**met**',
  'not-met': 'not met',
  'insufficient-data': 'insufficient data',
};

/** Banner for answers computed on incomplete FHIR data. */
export function partialDataBanner(ctx: CardContext): string | undefined {
  if (!ctx.partialData) return undefined;
  const missing = ctx.partialData.missing.map(escapeMarkdown).filter(Boolean);
  return (
    '**Based on incomplete data.** Not all patient data could be retrieved' +
    (missing.length > 0 ? ` (missing: ${missing.join(', ')})` : '') +
    '; results that exist but were not retrieved are treated as absent.'
  );
}

export function infusionLine(evaluation: Evaluation): string {
  const { infusion, dayNow } = evaluation.timeline;
  if (!infusion) return `**No immune effector cell infusion found.** ${escapeMarkdown(evaluation.watchReason)}`;
  const product = infusion.product ? `, ${escapeMarkdown(infusion.product)}` : '';
  const weak = infusion.strength === 'weak' ? ' (inferred from an order or diagnosis, not a recorded infusion)' : '';
  return `**Day ${formatDay(dayNow)} after infusion** (${infusion.time.slice(0, 10)}${product})${weak}.`;
}

/** Analytes worth a row: every lab the criteria looked at, plus any other tracked lab the patient has. */
function evidenceAnalytes(evaluation: Evaluation): Analyte[] {
  const used = new Set<Analyte>();
  for (const assessment of evaluation.assessments) {
    for (const criterion of assessment.criteria) {
      for (const evidence of criterion.evidence) {
        const analyte = evidence.analyte ?? evidence.value?.analyte;
        if (analyte) used.add(analyte);
      }
    }
  }
  for (const analyte of Object.keys(evaluation.timeline.labs) as Analyte[]) used.add(analyte);
  return ANALYTE_ORDER.filter((analyte) => used.has(analyte) && evaluation.timeline.labs[analyte]?.values.length);
}

function rangeText(value: LabValue): string {
  const { low, high } = value;
  const range =
    low !== undefined && high !== undefined
      ? `${formatNumber(low)}-${formatNumber(high)}`
      : high !== undefined
        ? `≤ ${formatNumber(high)}`
        : low !== undefined
          ? `≥ ${formatNumber(low)}`
          : 'none';
  return value.rangeSource === 'default' ? `${range} (default)` : range;
}

function flag(value: LabValue): string {
  if (value.high !== undefined && value.value > value.high) return ' H';
  if (value.low !== undefined && value.value < value.low) return ' L';
  return '';
}

/** Latest value at or before `now` (the series is ascending). */
function latestIndex(series: LabSeries, nowMs: number): number {
  for (let i = series.values.length - 1; i >= 0; i--) if (series.values[i].epochMs <= nowMs) return i;
  return -1;
}

function evidenceRow(series: LabSeries, nowMs: number): string[] | undefined {
  const index = latestIndex(series, nowMs);
  if (index < 0) return undefined;
  const latest = series.values[index];
  const previous = index > 0 ? series.values[index - 1] : undefined;
  const { baseline } = series;
  let vsBaseline = 'no baseline';
  if (baseline && baseline.source === latest.source) vsBaseline = 'is baseline';
  else if (baseline) {
    const change = formatRelativeChange(latest.value, baseline.value);
    vsBaseline = `${change ? `${change} ` : ''}(${formatNumber(baseline.value)}, day ${formatDay(baseline.day)})`;
  }
  const vsPrevious = previous
    ? `${formatSignedDelta(latest.value - previous.value)} (day ${formatDay(previous.day)})`
    : 'first value';
  return [
    capitalize(ANALYTE_LABEL[series.analyte]) + (latest.derived ? ' (derived)' : ''),
    `${latest.comparator ? escapeMarkdown(latest.comparator) : ''}${formatNumber(latest.value)}${flag(latest)}`,
    escapeMarkdown(series.unit),
    rangeText(latest),
    formatDateTime(latest.time),
    formatDay(latest.day),
    vsBaseline,
    vsPrevious,
  ];
}

export function evidenceTable(evaluation: Evaluation): string {
  const { timeline } = evaluation;
  const rows = evidenceAnalytes(evaluation)
    .map((analyte) => evidenceRow(timeline.labs[analyte] as LabSeries, timeline.nowEpochMs))
    .filter((row): row is string[] => row !== undefined);
  if (rows.length === 0) return `${heading('Evidence')}\n\nNo tracked lab results found.`;
  return [
    heading('Evidence (latest value per lab)'),
    table(['Lab', 'Value', 'Unit', 'Reference range', 'Date', 'Day', 'vs baseline', 'Since last value'], rows),
  ].join('\n\n');
}

export function crsTiming(evaluation: Evaluation): string {
  const { crsEpisodes, treatments } = evaluation.timeline;
  const episodes = crsEpisodes.map((episode) => {
    const grade = episode.grade !== undefined ? ` grade ${episode.grade}` : '';
    const onset = episode.onsetDay !== undefined ? `onset day ${episode.onsetDay}` : 'onset unknown';
    const end = episode.active
      ? 'still active'
      : episode.abatementDay !== undefined
        ? `resolved day ${episode.abatementDay}`
        : 'resolved';
    return `CRS${grade}: ${onset}, ${end}.`;
  });
  const lines = episodes.length > 0 ? episodes : ['No CRS episode recorded.'];
  const recorded = treatments.map((t) => `${escapeMarkdown(t.drug)} (${t.kind}, day ${formatDay(t.day)})`);
  if (recorded.length > 0) lines.push(`Treatments recorded: ${recorded.join(', ')}.`);
  lines.push(timingContext());
  return [heading('CRS timing'), bulletList(lines)].join('\n\n');
}

function assessmentName(assessment: Assessment): string {
  const name = escapeMarkdown(assessment.name);
  return assessment.source.verified ? name : `${name} (UNVERIFIED thresholds)`;
}

function firedRule(assessment: Assessment): string {
  const met = assessment.criteria.filter((c) => c.status === 'met').map((c) => escapeMarkdown(c.label));
  const parts = [escapeMarkdown(assessment.summary)];
  if (assessment.score) {
    const { value, max, probability, label } = assessment.score;
    const prob = probability !== undefined ? `, probability ${formatNumber(probability * 100)}%` : '';
    parts.push(`${escapeMarkdown(label)}: ${formatNumber(value)}${max !== undefined ? `/${max}` : ''}${prob}`);
  }
  if (met.length > 0) parts.push(`met: ${met.join('; ')}`);
  return parts.filter(Boolean).join(' · ');
}

export function criteriaTable(evaluation: Evaluation): string {
  if (evaluation.assessments.length === 0) return `${heading('Criteria sets')}\n\nNo criteria set was evaluated.`;
  const rows = evaluation.assessments.map((assessment) => [
    assessmentName(assessment),
    STATUS_TEXT[assessment.status],
    firedRule(assessment),
    assessment.missing.length > 0 ? uniqueMissing(assessment.missing).map((m) => escapeMarkdown(missingKey(m))).join(', ') : 'none',
  ]);
  return [
    heading('Criteria sets, side by side (not combined)'),
    table(['Criteria set', 'Result', 'Rule that fired', 'Missing'], rows),
  ].join('\n\n');
}

/** Every criterion of the ASTCT framework with its evidence: the set the card's tier follows. */
export function astctCriteria(evaluation: Evaluation): string | undefined {
  const astct = evaluation.assessments.find((a) => a.id === 'astct-iec-hs');
  if (!astct || astct.criteria.length === 0) return undefined;
  const lines = astct.criteria.map((criterion) => {
    const evidence = criterion.evidence
      .map((e) => {
        const value = e.value ? `${formatLab(e.value)} on day ${formatDay(e.value.day)}` : '';
        const base = e.baseline ? ` (baseline ${formatLab(e.baseline)})` : '';
        const facts = [value + base, e.note ?? ''].filter(Boolean).map(escapeMarkdown).join(', ');
        return facts ? `${escapeMarkdown(e.label)}: ${facts}` : escapeMarkdown(e.label);
      })
      .filter(Boolean);
    const unverified = criterion.thresholds.some((id) => isThresholdId(id) && !thresholdRow(id).verified);
    return (
      `${escapeMarkdown(criterion.label)}${unverified ? ' (UNVERIFIED threshold)' : ''}: ${STATUS_TEXT[criterion.status]}` +
      (evidence.length ? ` (${evidence.join('; ')})` : '')
    );
  });
  return [heading(`${assessmentName(astct)}: criteria`), bulletList(lines)].join('\n\n');
}

/** The data item a "missing" entry names: the text before any qualifier, e.g. "platelets (none in 7 d)" -> "platelets". */
function missingKey(text: string): string {
  return text.split(/\s*[(:]/)[0].trim().toLowerCase();
}

/** Missing items across sets, each data item once, first wording kept. */
function uniqueMissing(entries: Iterable<string>): string[] {
  const byKey = new Map<string, string>();
  for (const entry of entries) if (!byKey.has(missingKey(entry))) byKey.set(missingKey(entry), entry);
  return [...byKey.values()];
}

export function missingData(evaluation: Evaluation, ctx: CardContext): string {
  const items = uniqueMissing([
    ...evaluation.workupDue.map((analyte) => `${ANALYTE_LABEL[analyte]}: no recent result`),
    ...evaluation.assessments.flatMap((a) => a.missing),
  ]).map(escapeMarkdown);
  items.push(...(ctx.partialData?.missing ?? []).map((m) => `${escapeMarkdown(m)} (not retrieved)`));
  const body = items.length > 0 ? bulletList(items) : 'Nothing the criteria needed is missing.';
  return `${heading('Missing or stale data')}\n\n${body}`;
}

export function managementSection(): string {
  return `${heading('Management to consider (text, not an order)')}\n\n${managementMarkdown()}`;
}

export function sourceFooter(): string {
  return (
    `Source: ${GUIDELINE.citation} Thresholds labelled UNVERIFIED are configurable defaults ` +
    'not yet checked against the full text. Decision support, not a diagnosis: no IEC-HS grade is assigned.'
  );
}

export function joinSections(sections: (string | undefined)[]): string {
  return sections.filter((s): s is string => Boolean(s)).join('\n\n');
}
