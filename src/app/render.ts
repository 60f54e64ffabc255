/**
 * The app's sections, rendered from one Evaluation: verdict, the six criteria sets side by side, CTCAE
 * grades, the full evidence table, charts with their data tables, and data issues. The app owns its
 * wording; it never re-applies a clinical rule, it shows what the engine returned.
 */
import { ANALYTE_NAME } from '../criteria/format.js';
import type { Thresholds } from '../criteria/thresholds.js';
import type { Assessment, CriterionResult, CriterionStatus, Evaluation, Evidence } from '../criteria/types.js';
import type { PatientTimeline } from '../features/types.js';
import { PANELS, SET_SHORT_NAME, axisOf, crsBands, firedThresholds, panelData, treatmentMarks, xRange, type PanelData } from './chartData.js';
import { TREATMENT_COLORS, drawPanel } from './charts.js';
import { CLINICIAN_SOURCE } from './clinicianFindings.js';
import { h, table } from './dom.js';
import { flagOf, flagText, num, rangeText, valueWithUnit, type TimeFormat } from './format.js';

const STATUS: Readonly<Record<CriterionStatus, { symbol: string; word: string }>> = {
  met: { symbol: '●', word: 'Met' },
  'not-met': { symbol: '○', word: 'Not met' },
  'insufficient-data': { symbol: '?', word: 'Insufficient data' },
};

const SHORT_NAME = SET_SHORT_NAME;

function statusBadge(status: CriterionStatus): HTMLElement {
  const s = STATUS[status];
  return h('span', { className: `status status--${status}`, 'aria-label': s.word }, h('span', { 'aria-hidden': 'true', text: `${s.symbol} ` }), s.word);
}

function flagBadge(v: Parameters<typeof flagOf>[0]): HTMLElement | undefined {
  const f = flagText(flagOf(v));
  return f ? h('span', { className: `flag flag--${flagOf(v) ?? ''}`, title: f.label, 'aria-label': `${f.word}: ${f.label}` }, h('span', { 'aria-hidden': 'true', text: `${f.symbol} ` }), f.word) : undefined;
}

function dayText(day: number | undefined): string {
  return day === undefined ? '' : `day ${day}`;
}

/** One line: the evidence a criterion used, else what it lacked. */
export function explanation(c: CriterionResult, time: TimeFormat): string {
  const used = c.evidence.map((e) => evidenceText(e, time)).filter((t) => t.length > 0);
  if (used.length > 0) return used.join('; ');
  if (c.missing.length > 0) return `Missing: ${c.missing.join(', ')}`;
  return c.status === 'not-met' ? 'No qualifying finding' : '';
}

function evidenceText(e: Evidence, _time: TimeFormat): string {
  if (e.value) {
    const base = e.baseline ? `, baseline ${valueWithUnit(e.baseline)}` : '';
    const day = e.value.day === undefined ? '' : ` (${dayText(e.value.day)})`;
    return `${e.label}: ${valueWithUnit(e.value)}${day}${base}`;
  }
  return e.note ? `${e.label}: ${e.note}` : e.label;
}

export function renderBanner(el: HTMLElement, timeline: PatientTimeline, name: string, time: TimeFormat): void {
  const facts: [string, string][] = [];
  if (timeline.sex !== 'unknown') facts.push(['Sex', timeline.sex]);
  if (timeline.ageYears !== undefined) facts.push(['Age', `${timeline.ageYears} y`]);
  if (timeline.infusion) {
    facts.push(['Day 0', `${time.dateTime(timeline.infusion.epochMs)} ${time.zoneName(timeline.infusion.epochMs)}`]);
    if (timeline.infusion.product) facts.push(['Product', timeline.infusion.product]);
  }
  if (timeline.dayNow !== undefined) facts.push(['Today', `day ${timeline.dayNow}`]);
  const crs = timeline.crsEpisodes.find((e) => e.active);
  facts.push(['CRS', crs ? `active${crs.grade ? `, grade ${crs.grade}` : ''}` : timeline.crsEpisodes.length > 0 ? 'resolved' : 'none recorded']);
  facts.push(['Times shown in', time.zone]);
  el.replaceChildren(
    h('div', {}, h('h1', { id: 'patient-name', text: name })),
    h('dl', { className: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])),
  );
}

export function renderVerdict(el: HTMLElement, evaluation: Evaluation): void {
  const engager = evaluation.exposure?.class === 't-cell-engager';
  const name = engager ? 'HLH-like picture' : 'IEC-HS picture';
  const tier = evaluation.picture?.tier ?? (evaluation.iecHsPicture ? 'warning' : 'none');
  const fired = evaluation.assessments.filter((a) => a.status === 'met').map((a) => SHORT_NAME[a.id]);
  const text = !evaluation.watched
    ? `Not under IEC-HS surveillance: ${evaluation.watchReason}`
    : tier === 'critical' || tier === 'warning'
      ? `${name} present${evaluation.picture?.overlappingCrs ? ', overlapping active CRS' : ''}${evaluation.severeOrganDysfunction ? ', with severe organ dysfunction' : ''}.`
      : tier === 'watch'
        ? `No ${name} now; something to follow (${(evaluation.picture?.watchReasons ?? []).join(', ') || 'see the criteria below'}).`
        : `No ${name} by the criteria below.`;
  el.className = `verdict verdict--${tier}`;
  const due = evaluation.workupDue.length > 0 ? h('p', { text: `Workup with no recent result: ${evaluation.workupDue.map((a) => ANALYTE_NAME[a]).join(', ')}.` }) : '';
  el.replaceChildren(
    h('p', { className: 'verdict-line' }, h('strong', { text: text })),
    h('p', { className: 'muted', text: `Criteria sets met: ${fired.length > 0 ? fired.join(', ') : 'none'}. Sets are shown side by side and never blended; "insufficient data" means a set could not be judged.` }),
    due,
  );
}

function criterionItem(c: CriterionResult, source: Assessment['source'], time: TimeFormat): HTMLElement {
  const clinician = c.evidence.some((e) => (e.note ?? '').includes('clinician-entered'));
  return h(
    'li',
    { className: `criterion criterion--${c.status}`, 'data-criterion': c.id },
    h('div', { className: 'criterion-head' }, statusBadge(c.status), h('span', { className: 'criterion-label', text: c.label }), c.points !== undefined ? h('span', { className: 'points', text: `${c.points} pt` }) : undefined),
    h('p', { className: 'criterion-why', text: explanation(c, time) }),
    clinician ? h('p', { className: 'clinician-tag', text: 'Uses a clinician-entered finding (not stored)' }) : undefined,
    h('p', { className: 'criterion-cite' }, 'Source: ', h('a', { href: source.url, target: '_blank', rel: 'noopener noreferrer', text: source.label }), c.verified === false ? ' · threshold not verified against the full text' : ''),
  );
}

export function renderCriteria(el: HTMLElement, evaluation: Evaluation, time: TimeFormat): void {
  el.replaceChildren(
    ...evaluation.assessments.map((a) =>
      h(
        'article',
        { className: `criteria-set criteria-set--${a.status}`, 'data-set': a.id, 'aria-labelledby': `set-${a.id}` },
        h('h3', { id: `set-${a.id}` }, SHORT_NAME[a.id], ' ', statusBadge(a.status)),
        a.score
          ? h('p', { className: 'score', 'data-score': a.id }, `${a.score.label}: `, h('strong', { className: 'score-value', text: `${num(a.score.value)}${a.score.max !== undefined ? ` / ${a.score.max}` : ''}` }), a.score.possibleRange && a.score.possibleRange.max !== a.score.possibleRange.min ? ` (possible ${a.score.possibleRange.min}-${a.score.possibleRange.max})` : '', a.score.probability !== undefined ? ` · probability ${num(a.score.probability * 100)}%` : '')
          : undefined,
        h('p', { className: 'set-summary', text: a.summary }),
        h('ul', { className: 'criteria-list' }, ...a.criteria.map((c) => criterionItem(c, a.source, time))),
        h('p', { className: 'set-citation' }, h('a', { href: a.source.url, target: '_blank', rel: 'noopener noreferrer', text: a.source.citation })),
      ),
    ),
  );
}

export function renderCtcae(el: HTMLElement, evaluation: Evaluation, time: TimeFormat): void {
  if (evaluation.organGrades.length === 0) {
    el.replaceChildren(h('p', { className: 'muted', text: 'No organ laboratory values to grade.' }));
    return;
  }
  el.replaceChildren(
    table(
      'CTCAE v5.0 grades of the latest organ values',
      ['Analyte', 'Grade', 'Latest value', 'Flag', 'Reference range', 'Taken', 'Grade rule'],
      evaluation.organGrades.map((g) => [
        ANALYTE_NAME[g.analyte],
        h('strong', { text: `Grade ${g.grade}` }),
        valueWithUnit(g.value),
        flagBadge(g.value) ?? 'In range',
        rangeText(g.value),
        `${time.dateTime(g.value.epochMs)} (${dayText(g.value.day) || 'no day 0'})`,
        g.threshold,
      ]),
    ),
  );
}

export function renderEvidence(el: HTMLElement, evaluation: Evaluation, time: TimeFormat): void {
  const rows: (Node | string)[][] = [];
  for (const a of evaluation.assessments) {
    for (const c of a.criteria) {
      const items = c.evidence.length > 0 ? c.evidence : [undefined];
      for (const e of items) {
        const v = e?.value;
        rows.push([
          SHORT_NAME[a.id],
          c.label,
          statusBadge(c.status),
          e ? e.label : c.missing.length > 0 ? `Missing: ${c.missing.join(', ')}` : '—',
          v ? valueWithUnit(v) : e?.note ?? '',
          v ? flagBadge(v) ?? 'In range' : '',
          v ? rangeText(v) : '',
          v ? `${time.dateTime(v.epochMs)}${v.day !== undefined ? ` (day ${v.day})` : ''}` : '',
          e?.note?.includes(CLINICIAN_SOURCE) || (e?.note ?? '').includes('clinician-entered') ? 'Clinician-entered (not stored)' : v?.rangeSource === 'default' ? 'Default range' : '',
        ]);
      }
    }
  }
  el.replaceChildren(table('Evidence used by every criterion of every set', ['Set', 'Criterion', 'Status', 'Evidence', 'Value', 'Flag', 'Reference range', 'Taken', 'Note'], rows, 'data-table evidence-table'));
}

/** Colour key of a treatment line; set through the CSSOM (the CSP forbids inline style attributes). */
function swatch(color: string): HTMLElement {
  const key = h('span', { className: 'key key--tx', 'aria-hidden': 'true' });
  key.style.borderColor = color;
  return key;
}

export interface RenderedCharts {
  destroy(): void;
  panels: number;
}

function panelTable(panel: PanelData, timeline: PatientTimeline, time: TimeFormat): HTMLElement {
  const rows: (Node | string)[][] = [];
  for (const analyte of panel.spec.analytes) {
    for (const v of timeline.labs[analyte]?.values ?? []) {
      rows.push([ANALYTE_NAME[analyte], `${time.dateTime(v.epochMs)}`, v.day === undefined ? '' : String(v.day), valueWithUnit(v), flagBadge(v) ?? 'In range', rangeText(v)]);
    }
  }
  return table(`${panel.spec.title}: every result (times in ${time.zone})`, ['Analyte', 'Taken', 'Day', 'Value', 'Flag', 'Reference range'], rows);
}

export function renderCharts(el: HTMLElement, legendEl: HTMLElement, evaluation: Evaluation, thresholds: Thresholds, time: TimeFormat): RenderedCharts {
  const timeline = evaluation.timeline;
  const axis = axisOf(timeline, (ms) => time.offsetMs(ms));
  const range = xRange(timeline, axis);
  const bands = crsBands(timeline, axis, range.max);
  const treatments = treatmentMarks(timeline, axis);
  const fired = firedThresholds(evaluation);

  const drugs = new Map<string, { cls: keyof typeof TREATMENT_COLORS; days: string[] }>();
  for (const t of treatments) {
    const entry = drugs.get(t.drug) ?? { cls: t.cls, days: [] };
    entry.days.push(`${t.kind} day ${Math.floor(t.x)}`);
    drugs.set(t.drug, entry);
  }
  legendEl.replaceChildren(
    h('li', {}, h('span', { className: 'key key--day0', 'aria-hidden': 'true' }), 'Day 0 (infusion)'),
    h('li', {}, h('span', { className: 'key key--crs', 'aria-hidden': 'true' }), 'CRS (shaded)'),
    h('li', {}, h('span', { className: 'key key--limit', 'aria-hidden': 'true' }), 'Reference limit (dashed)'),
    h('li', {}, h('span', { className: 'key key--threshold', 'aria-hidden': 'true' }), 'Threshold of a criterion that was met'),
    h('li', {}, h('span', { className: 'key key--flag', 'aria-hidden': 'true', text: '▲' }), 'High / ', h('span', { className: 'key key--flag', 'aria-hidden': 'true', text: '▼' }), 'Low result'),
    ...(drugs.size === 0
      ? [h('li', { text: 'No CRS/IEC-HS treatment recorded' })]
      : [...drugs.entries()].map(([drug, d]) =>
          h('li', { 'data-treatment': drug }, swatch(TREATMENT_COLORS[d.cls]), `${drug}: ${d.days.join(', ')}`),
        )),
  );

  const charts: { destroy(): void }[] = [];
  const sections: HTMLElement[] = [];
  for (const spec of PANELS) {
    const data = panelData(timeline, spec, axis, fired, thresholds);
    const tableId = `table-${spec.id}`;
    const section = h('section', { className: 'panel', 'data-panel': spec.id, 'aria-labelledby': `panel-${spec.id}` }, h('h3', { id: `panel-${spec.id}`, className: 'panel-title', text: `${spec.title}${data.unit ? ` (${data.unit})` : ''}` }));
    if (data.series.length === 0) {
      section.append(h('p', { className: 'muted', text: 'No results in this record.' }));
    } else {
      const canvas = h('canvas', { role: 'img', 'aria-label': `${spec.title} against days after infusion; the data table follows`, 'aria-describedby': tableId });
      section.append(h('div', { className: 'chart-box' }, canvas));
      if (data.lines.length > 0) section.append(h('p', { className: 'fired-lines', text: `Thresholds drawn: ${data.lines.map((l) => l.label).join('; ')}` }));
      const dataTable = panelTable(data, timeline, time);
      dataTable.id = tableId;
      dataTable.classList.add('panel-table');
      section.append(dataTable);
      charts.push(drawPanel(canvas, data, range, bands, treatments, axis.title, time));
    }
    sections.push(section);
  }
  el.replaceChildren(...sections);
  return { panels: charts.length, destroy: () => charts.forEach((c) => c.destroy()) };
}

export function renderIssues(el: HTMLElement, timeline: PatientTimeline, notRead: { item: string; reason: string }[]): void {
  const items = [
    ...notRead.map((n) => `Not read from the FHIR server: ${n.item} (${n.reason})`),
    ...timeline.issues.slice(0, 50).map((i) => `${i.analyte ? `${ANALYTE_NAME[i.analyte]}: ` : ''}${i.reason}`),
  ];
  el.hidden = items.length === 0;
  const list = el.querySelector('ul');
  list?.replaceChildren(...items.map((t) => h('li', { text: t })));
}
