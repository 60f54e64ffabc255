/**
 * The markdown `detail` of a card, in the order a clinician reads it: the verdict, the evidence table,
 * CRS timing, every criteria set side by side (compact), the ASTCT criteria one line each, what is
 * missing, and (IEC-HS cards only) the management consideration and sources. Everything that came
 * from the EHR is escaped; UNVERIFIED thresholds and local rules are labelled as such.
 */
import type { Analyte, LabSeries, LabValue, Treatment } from '../features/types.js';
import type { Assessment, CriterionResult, CriterionStatus, Evaluation, TreatmentState } from '../criteria/types.js';
import { isThresholdId, thresholdRow } from '../criteria/thresholds.js';
import type { CardContext } from './index.js';
import {
  ANALYTE_LABEL,
  ANALYTE_ORDER,
  capitalize,
  displayUnit,
  formatDateTime,
  formatDay,
  formatLab,
  formatNumber,
  formatRelativeChange,
  formatSignedDelta,
} from './format.js';
import { confounderVerdict } from './confounders.js';
import { GUIDELINE, managementMarkdown, timingContext } from './guidance.js';
import { bulletList, escapeMarkdown, heading, table } from './markdown.js';
import { worstOrgan } from './summary.js';

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

function astctOf(evaluation: Evaluation): Assessment | undefined {
  return evaluation.assessments.find((a) => a.id === 'astct-iec-hs');
}

/**
 * The verdict a clinician reads first: day after infusion, the ASTCT result and why, any infection or
 * relapse on record that could explain the picture, the worst organ grade (which sets the card tier),
 * and which other criteria sets agree. Never an IEC-HS grade.
 */
export function verdict(evaluation: Evaluation, ctx: CardContext): string {
  const lines = [infusionLine(evaluation)];
  const astct = astctOf(evaluation);
  if (astct) {
    const label = astct.source.verified ? '' : ' (UNVERIFIED thresholds)';
    lines.push(`**ASTCT IEC-HS framework${label}: ${astct.status.replace('-', ' ')}:** ${escapeMarkdown(stripStatus(astct.summary))}.`);
  }
  // Other causes are named only next to the picture they could explain.
  const confounders = evaluation.iecHsPicture ? confounderVerdict(evaluation, ctx.thresholds) : undefined;
  if (confounders) lines.push(confounders);
  const organ = worstOrgan(evaluation, ctx.thresholds);
  if (organ) {
    lines.push(`Severe organ dysfunction: CTCAE v5 grade ${organ.grade} ${ANALYTE_LABEL[organ.analyte]} (${formatLab(organ.value)}, day ${formatDay(organ.value.day)}).`);
  } else if (evaluation.severeOrganDysfunction) {
    lines.push('Severe organ dysfunction: fibrinogen below the critical cut-off (local rule).');
  }
  const others = evaluation.assessments.filter((a) => a.id !== 'astct-iec-hs' && a.status === 'met').map((a) => escapeMarkdown(a.name));
  if (others.length > 0) lines.push(`Also met: ${others.join(', ')}.`);
  lines.push('No IEC-HS grade is assigned (grade definitions unverified).');
  return lines.join(' ');
}

/** "Met: ferritin ..." -> "ferritin ...": the status is already shown next to it. */
function stripStatus(summary: string): string {
  return summary.replace(/^(Met|Not met|Insufficient data):\s*/i, '');
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

/** Temperature changes are read in degrees, not percent. */
const ABSOLUTE_CHANGE: ReadonlySet<Analyte> = new Set<Analyte>(['temperature']);

function evidenceRow(series: LabSeries, nowMs: number, otherAssay = false): string[] | undefined {
  const index = latestIndex(series, nowMs);
  if (index < 0) return undefined;
  const latest = series.values[index];
  const previous = index > 0 ? series.values[index - 1] : undefined;
  const { baseline } = series;
  let vsBaseline = 'no baseline';
  if (baseline && baseline.source === latest.source) vsBaseline = 'is baseline';
  else if (baseline) {
    const change = ABSOLUTE_CHANGE.has(series.analyte)
      ? formatSignedDelta(latest.value - baseline.value)
      : formatRelativeChange(latest.value, baseline.value);
    vsBaseline = `${change ? `${change} ` : ''}(${formatNumber(baseline.value)}, day ${formatDay(baseline.day)})`;
  }
  const vsPrevious = previous
    ? `${formatSignedDelta(latest.value - previous.value)} (day ${formatDay(previous.day)})`
    : 'first value';
  const name = capitalize(ANALYTE_LABEL[series.analyte]) + (latest.derived ? ' (derived)' : '') + (otherAssay ? ` (${escapeMarkdown(series.unit)} assay)` : '');
  const unit = escapeMarkdown(displayUnit(series.unit));
  return [
    name,
    `${latest.comparator ? escapeMarkdown(latest.comparator) : ''}${formatNumber(latest.value)}${unit ? ` ${unit}` : ''}${flag(latest)}`,
    rangeText(latest),
    `${formatDay(latest.day)} (${formatDateTime(latest.time)})`,
    vsBaseline,
    vsPrevious,
  ];
}

export function evidenceTable(evaluation: Evaluation): string {
  const { timeline } = evaluation;
  const rows = evidenceAnalytes(evaluation)
    .map((analyte) => evidenceRow(timeline.labs[analyte] as LabSeries, timeline.nowEpochMs))
    .filter((row): row is string[] => row !== undefined);
  // Results in a second unit family (sCD25 in pg/mL): shown, never converted.
  for (const analyte of ANALYTE_ORDER) {
    const series = timeline.altUnitLabs?.[analyte];
    const row = series?.values.length ? evidenceRow(series, timeline.nowEpochMs, true) : undefined;
    if (row) rows.push(row);
  }
  if (rows.length === 0) return `${heading('Evidence')}\n\nNo tracked lab results found.`;
  return [
    heading('Evidence (latest value per lab; baseline = last value on or before day 0)'),
    table(['Lab', 'Latest', 'Reference range', 'Day (drawn)', 'vs baseline', 'Since last value'], rows),
  ].join('\n\n');
}

/** `tocilizumab given days 3-4`: one phrase per drug and kind, days compressed into runs. */
function treatmentPhrases(treatments: readonly Treatment[]): string[] {
  const byDrug = new Map<string, number[]>();
  for (const t of treatments) {
    const key = `${t.drug}\u0000${t.kind}`;
    const days = byDrug.get(key) ?? [];
    if (t.day !== undefined && !days.includes(t.day)) days.push(t.day);
    byDrug.set(key, days);
  }
  return [...byDrug].map(([key, days]) => {
    const [drug, kind] = key.split('\u0000');
    const sorted = days.sort((a, b) => a - b);
    const runs: string[] = [];
    for (let i = 0; i < sorted.length; i++) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
      runs.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
      i = j;
    }
    const when = runs.length === 0 ? '' : ` day${sorted.length > 1 ? 's' : ''} ${runs.join(', ')}`;
    return `${escapeMarkdown(drug)} ${kind}${when}`;
  });
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
  const recorded = treatmentPhrases(treatments);
  if (recorded.length > 0) lines.push(`Treatments recorded: ${recorded.join('; ')}.`);
  lines.push(timingContext());
  return [heading('CRS timing'), bulletList(lines)].join('\n\n');
}

function assessmentName(assessment: Assessment): string {
  const name = escapeMarkdown(assessment.name);
  return assessment.source.verified ? name : `${name} (UNVERIFIED thresholds)`;
}

/**
 * Why the set came out as it did: its own summary, plus the score where one exists. The ASTCT row
 * points to the verdict and the criteria list instead of repeating them.
 */
function basis(assessment: Assessment): string {
  const score = assessment.score;
  if (assessment.id === 'astct-iec-hs') {
    const count = score ? `${escapeMarkdown(score.label)}: ${formatNumber(score.value)}/${score.max ?? '?'}. ` : '';
    return `${count}See the verdict above and the criteria below.`;
  }
  const parts = [escapeMarkdown(stripStatus(assessment.summary))];
  if (score?.probability !== undefined && !/probability/i.test(assessment.summary)) {
    // With unknown variables the known points are a floor, and so is the probability (useless near 0).
    const floor = score.possibleRange !== undefined && score.possibleRange.max > score.possibleRange.min;
    const percent = Math.round(score.probability * 100);
    if (!floor || percent > 1) {
      parts.push(`${escapeMarkdown(score.label)}: ${formatNumber(score.value)}${score.max !== undefined ? `/${score.max}` : ''}, probability ${floor ? '≥ ' : ''}${percent}%`);
    }
  }
  return parts.filter(Boolean).join(' · ');
}

/** Synonyms across criteria sets: one clinical item, one entry. */
const MISSING_SYNONYMS: Readonly<Record<string, string>> = {
  'bone-marrow aspirate': 'hemophagocytosis',
  organomegaly: 'splenomegaly',
};

/** The data item a "missing" entry names, as written: "platelets (none in 7 d)" -> "platelets". */
function missingLabel(text: string): string {
  return text.split(/\s*[(:]/)[0].trim();
}

/** The same, normalised for de-duplication (case, synonyms). */
function missingKey(text: string): string {
  const key = missingLabel(text).toLowerCase();
  return MISSING_SYNONYMS[key] ?? key;
}

/** Missing items across sets, each data item once, first wording kept. */
function uniqueMissing(entries: Iterable<string>): string[] {
  const byKey = new Map<string, string>();
  for (const entry of entries) if (!byKey.has(missingKey(entry))) byKey.set(missingKey(entry), entry);
  return [...byKey.values()];
}

/** Every set side by side; the ASTCT row points to the verdict and to astctCriteria (always shown with it). */
export function criteriaTable(evaluation: Evaluation): string {
  if (evaluation.assessments.length === 0) return `${heading('Criteria sets')}\n\nNo criteria set was evaluated.`;
  const rows = evaluation.assessments.map((assessment) => [
    assessmentName(assessment),
    STATUS_TEXT[assessment.status],
    basis(assessment),
    assessment.missing.length > 0 ? uniqueMissing(assessment.missing).map((m) => escapeMarkdown(missingLabel(m))).join(', ') : 'none',
  ]);
  return [
    heading('Criteria sets, side by side (not combined)'),
    table(['Criteria set', 'Result', 'Basis', 'Missing'], rows),
  ].join('\n\n');
}

const MARK: Record<CriterionStatus, string> = { met: '✔ **met**', 'not-met': '✘ not met', 'insufficient-data': '? no data' };

/** Ids of the ASTCT key criteria and core manifestations; every other ASTCT criterion is supportive. */
const ASTCT_MAIN = new Set(['astct-ferritin', 'astct-timing', 'astct-cytopenia', 'astct-fibrinogen', 'astct-transaminases', 'astct-hemophagocytosis']);

function unverifiedTag(criterion: CriterionResult): string {
  return criterion.thresholds.some((id) => isThresholdId(id) && !thresholdRow(id).verified) ? ' (UNVERIFIED threshold)' : '';
}

function evidenceText(criterion: CriterionResult): string {
  return criterion.evidence
    .map((e) => {
      const value = e.value ? `${formatLab(e.value)} day ${formatDay(e.value.day)}` : '';
      const base = e.baseline ? ` vs ${formatLab(e.baseline)} day ${formatDay(e.baseline.day)}` : '';
      const facts = [value + base, e.note ?? ''].filter(Boolean).map(escapeMarkdown).join(', ');
      return facts ? `${escapeMarkdown(e.label)}: ${facts}` : escapeMarkdown(e.label);
    })
    .join('; ');
}

/**
 * The ASTCT framework, the set the card's tier follows: key criteria and core manifestations one line
 * each with their evidence; supportive features folded into one line (met ones with their value).
 */
export function astctCriteria(evaluation: Evaluation): string | undefined {
  const astct = astctOf(evaluation);
  if (!astct || astct.criteria.length === 0) return undefined;
  const main = astct.criteria.filter((c) => ASTCT_MAIN.has(c.id) || !c.id.startsWith('astct-'));
  const supportive = astct.criteria.filter((c) => !main.includes(c));
  const lines = main.map((c) => {
    const evidence = c.status === 'insufficient-data' && c.evidence.length === 0 ? '' : evidenceText(c);
    return `${MARK[c.status]}: ${escapeMarkdown(c.label)}${unverifiedTag(c)}${evidence ? ` (${evidence})` : ''}`;
  });
  if (supportive.length > 0) {
    const met = supportive.filter((c) => c.status === 'met').map((c) => {
      const name = c.label.split(/[:(]/)[0].trim();
      const v = c.evidence.find((e) => e.value)?.value;
      // Name the lab only when the label does not (coagulopathy -> "INR 1.3"; fever needs no name).
      const labName = ANALYTE_LABEL[v?.analyte ?? 'temperature'].split(' ')[0]!;
      const named = !v || v.analyte === 'temperature' || name.toLowerCase().includes(labName.toLowerCase());
      const shown = v ? `${named ? '' : `${labName} `}${formatLab(v)}` : '';
      return `${escapeMarkdown(name)}${shown ? ` (${escapeMarkdown(shown)})` : ''}${unverifiedTag(c)}`;
    });
    const notMet = supportive.filter((c) => c.status === 'not-met').map((c) => escapeMarkdown(c.label.split(/[:(]/)[0].trim()));
    const unknown = supportive.filter((c) => c.status === 'insufficient-data').map((c) => escapeMarkdown(c.label.split(/[:(]/)[0].trim()));
    const parts = [met.length ? `met: ${met.join(', ')}` : 'none met', notMet.length ? `not met: ${notMet.join(', ')}` : '', unknown.length ? `no data: ${unknown.join(', ')}` : ''];
    lines.push(`Supportive features (shown, not counted): ${parts.filter(Boolean).join('; ')}`);
  }
  return [heading(`${assessmentName(astct)}: criteria`), bulletList(lines)].join('\n\n');
}

/** Items no lab order can supply: exam, imaging, pathology, history. */
function isClinicalItem(text: string): boolean {
  return /exam|imaging|patholog|aspirate|clinical|not in (lab data|tracked labs)/i.test(text);
}

/**
 * What is due or missing. `full`: everything any criteria set lacked (IEC-HS cards); otherwise only
 * the due labs and what the ASTCT framework itself lacked (info cards stay short).
 */
export function missingData(evaluation: Evaluation, ctx: CardContext, full = true): string | undefined {
  const due = evaluation.workupDue.map((analyte) => `${ANALYTE_LABEL[analyte]}: no recent result`);
  const dueKeys = new Set(due.map(missingKey));
  const astct = astctOf(evaluation);
  const lacking = full ? evaluation.assessments : astct?.status === 'insufficient-data' ? [astct] : [];
  const rest = uniqueMissing(lacking.flatMap((a) => a.missing)).filter((m) => !dueKeys.has(missingKey(m)));
  const items = [...due, ...rest.filter((m) => !isClinicalItem(m))].map(escapeMarkdown);
  const clinical = rest.filter(isClinicalItem).map((m) => escapeMarkdown(missingLabel(m)));
  if (clinical.length > 0) items.push(`Not in structured data (exam, imaging, pathology, history): ${clinical.join(', ')}`);
  items.push(...(ctx.partialData?.missing ?? []).map((m) => `${escapeMarkdown(m)} (not retrieved)`));
  if (items.length === 0 && !full) return undefined;
  const body = items.length > 0 ? bulletList(items) : 'Nothing the criteria needed is missing.';
  return `${heading('Missing or stale data')}\n\n${body}`;
}

export function managementSection(state?: TreatmentState): string {
  return `${heading('Management to consider (text, not an order)')}\n\n${managementMarkdown(state)}`;
}

export function sourceFooter(): string {
  return (
    `Source: ${GUIDELINE.citation} Thresholds labelled UNVERIFIED are configurable defaults ` +
    'not yet checked against the full text; local rules are this service\'s own. Decision support, not a diagnosis.'
  );
}

export function joinSections(sections: (string | undefined)[]): string {
  return sections.filter((s): s is string => Boolean(s)).join('\n\n');
}
