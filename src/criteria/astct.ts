/**
 * ASTCT IEC-HS framework (Hines 2023). The definition is verified in secondary sources; the numbers are
 * recalled (UNVERIFIED) and no minimum feature count is published (docs/clinical-basis.md#astct, docs/clinical-basis.md#local-rules).
 *
 * How this service reads it (every number is a threshold-table row):
 * - Key ferritin criterion, on ferritin since infusion inside the lookback window: > 2x ULN, > 2x
 *   baseline, or rapidly rising (LOCAL RULE, ferritinTrend.ts).
 * - Key timing criterion (CRS is not a prerequisite: IEC-HS is "independent of CRS"): compatible when no
 *   CRS is on record, when every CRS episode has resolved (or is still coded active long after onset:
 *   LOCAL RULE), or when ferritin worsened after initial improvement (peak -> nadir -> rebound, LOCAL
 *   RULE). Not compatible while CRS is active and ferritin shows no rebound.
 * - Core manifestations from the verified definition: new or worsening cytopenia, hypofibrinogenemia,
 *   transaminitis, hemophagocytosis. Supportive features are shown but not counted; "sCD25 > ULN" is
 *   unit-free, so a pg/mL result counts against its own assay's range.
 * - Censored results ("<5", ">100000") meet a cut-off only when every value they stand for does
 *   (censored.ts); otherwise the criterion says it cannot be judged.
 * - The IEC-HS picture (status `met`) = key ferritin AND timing AND >= astct.minCoreFeatures core
 *   manifestations (LOCAL RULE). No IEC-HS grade is ever assigned.
 */
import type { Analyte, LabValue } from '../features/types.js';
import { anyValue, compareValue, ratioPrefix } from './censored.js';
import { COURSE_THRESHOLDS, RISING_PATTERNS, judgeFerritinCourse, type CourseJudgement } from './ferritinCourse.js';
import { HOUR_MS, type CriteriaContext } from './context.js';
import { ctcaeGrade } from './ctcae.js';
import { findRebound } from './ferritinTrend.js';
import { ANALYTE_NAME, lab, num, withUnit } from './format.js';
import { hemophagocytosisFinding } from './organs.js';
import { anyOf, atLeast, criterion, missingLab, rollUpMissing } from './result.js';
import { SOURCES } from './sources.js';
import type { ThresholdId } from './thresholds.js';
import type { Assessment, CriterionResult, CriterionStatus, Direction, Evidence, FerritinCourse } from './types.js';

/** A criterion with the short phrase the assessment summary quotes when it is met. */
interface Finding {
  result: CriterionResult;
  short?: string;
}

const recentScope = (ctx: CriteriaContext): string => `none since infusion in last ${ctx.t['lookback.days']} d`;

const DIRECTION_WORD: Readonly<Record<Direction, string>> = { rising: 'rising', falling: 'falling', stable: 'stable', single: 'single value' };

const PATTERN_LABEL: Readonly<Record<FerritinCourse['pattern'], string>> = {
  'rapid-rise': 'rapidly rising (local rule)',
  'new-rise': 'rising again after initial improvement (local rule)',
  'rise-from-nadir': 'rising from its post-CRS nadir (local rule)',
  'elevated-stable': 'elevated, not falling',
  'falling-tail': 'elevated but falling: not a key criterion (watch, repeat labs)',
  normal: 'not elevated',
  single: 'single value since infusion',
};

/**
 * Key ferritin criterion on the latest value and its course (ferritinCourse.ts): met when the latest
 * value is elevated (> k x ULN or > k x baseline) and not falling, or when it ends a rise.
 */
function ferritinKey(ctx: CriteriaContext): Finding & { judgement?: CourseJudgement } {
  const { t } = ctx;
  const id = 'astct-ferritin';
  const thresholds = [...COURSE_THRESHOLDS];
  const uln = t['astct.ferritin.ulnMultiple'];
  const base = t['astct.ferritin.baselineMultiple'];
  const label = `Key: latest ferritin > ${num(uln)}x ULN or > ${num(base)}x baseline and not falling, or rising (new rise, rise from nadir, rapid rise: local rules)`;
  const view = ctx.series('ferritin');
  if (ctx.infusionMs === undefined) {
    return { result: criterion({ id, label, status: 'insufficient-data', missing: ['immune effector cell infusion (none on record)'], thresholds }) };
  }
  const judgement = judgeFerritinCourse(ctx);
  const latest = judgement?.course.latest;
  if (!judgement || !latest || latest.epochMs < ctx.lookbackStartMs) {
    return {
      result: criterion({ id, label, status: 'insufficient-data', missing: [missingLab('ferritin', view, recentScope(ctx))], missingAnalytes: ['ferritin'], thresholds }),
      ...(judgement && { judgement }),
    };
  }
  const { course, elevated, elevatedBy, baseline } = judgement;
  const evidence: Evidence[] = [
    { label: `Latest ferritin (${DIRECTION_WORD[course.direction]}): ${PATTERN_LABEL[course.pattern]}`, analyte: 'ferritin', value: latest, ...(baseline && { baseline }) },
  ];
  if (course.peak && course.peak.source !== latest.source) evidence.push({ label: 'Peak since infusion', analyte: 'ferritin', value: course.peak });
  if (course.nadir && course.nadir.source !== latest.source) evidence.push({ label: 'Nadir the course is measured from', analyte: 'ferritin', value: course.nadir });
  if (judgement.rapid && course.pattern === 'rapid-rise') {
    const { from, to, ratio } = judgement.rapid;
    const hours = Math.round((to.epochMs - from.epochMs) / HOUR_MS);
    const riseFraction = t['astct.ferritin.rapidRise.fraction'];
    evidence.unshift({
      label: `rising ${ratioPrefix(to)}+${num((ratio - 1) * 100)}% in ${hours} h (local rule: >= +${num(riseFraction * 100)}% within ${num(t['astct.ferritin.rapidRise.windowHours'])} h, both > ULN)`,
      analyte: 'ferritin',
      value: to,
      baseline: from,
    });
    return { result: criterion({ id, label, status: 'met', evidence, thresholds }), short: `ferritin rising +${num((ratio - 1) * 100)}% in ${hours} h (local rule)`, judgement };
  }
  if (elevated === undefined) {
    return {
      result: criterion({ id, label, status: 'insufficient-data', evidence, missing: ['ferritin reference range or baseline (or an exact value for a censored result)'], thresholds }),
      judgement,
    };
  }
  const met = elevated && course.pattern !== 'falling-tail';
  const short = met
    ? `${lab(latest)} ${RISING_PATTERNS.has(course.pattern) ? PATTERN_LABEL[course.pattern] : (elevatedBy[0] ?? '')}`
    : course.pattern === 'falling-tail'
      ? `${lab(latest)} elevated but falling`
      : lab(latest);
  return { result: criterion({ id, label, status: met ? 'met' : 'not-met', evidence, thresholds }), short, judgement };
}

function crsTiming(ctx: CriteriaContext): Finding {
  const { t, timeline } = ctx;
  const id = 'astct-timing';
  const label = 'Key: timing vs CRS (after CRS resolves, or worsening after initial improvement)';
  const thresholds: ThresholdId[] = ['astct.timing.staleCrsDays', 'astct.timing.improvementFraction', 'astct.timing.reboundFraction'];
  const episodes = timeline.crsEpisodes ?? [];
  const dayNow = timeline.dayNow;
  const stale = t['astct.timing.staleCrsDays'];
  const isStale = (onsetDay: number | undefined): boolean => onsetDay !== undefined && dayNow !== undefined && dayNow - onsetDay >= stale;
  const active = episodes.filter((e) => e.active && !isStale(e.onsetDay));
  const evidence: Evidence[] = episodes.map((e) => ({
    label: e.active ? (isStale(e.onsetDay) ? `CRS still coded active ${stale}+ days after onset: treated as resolving (local rule)` : 'CRS active') : 'CRS resolved',
    note: `CRS${e.grade !== undefined ? ` grade ${e.grade}` : ''}, onset day ${e.onsetDay ?? '?'}${e.abatementDay !== undefined ? `, resolved day ${e.abatementDay}` : ''}`,
  }));

  const rebound = findRebound(ctx.series('ferritin').sinceInfusion, t['astct.timing.improvementFraction'], t['astct.timing.reboundFraction']);
  if (rebound) {
    evidence.push(
      { label: 'Ferritin peak', analyte: 'ferritin', value: rebound.peak },
      { label: `Nadir (>= ${num(t['astct.timing.improvementFraction'] * 100)}% fall: initial improvement, local rule)`, analyte: 'ferritin', value: rebound.nadir },
      { label: `Rebound (>= +${num(t['astct.timing.reboundFraction'] * 100)}% from nadir: worsening, local rule)`, analyte: 'ferritin', value: rebound.rebound, baseline: rebound.nadir },
    );
  }

  let status: CriterionStatus;
  let short: string;
  if (episodes.length === 0) {
    status = 'met';
    short = 'no CRS on record (IEC-HS can occur independently of CRS)';
    evidence.unshift({ label: 'No CRS episode on record', note: 'IEC-HS is independent of CRS; CRS is not required' });
  } else if (active.length === 0) {
    status = 'met';
    const lastAbated = Math.max(...episodes.map((e) => e.abatementDay ?? -Infinity));
    short = Number.isFinite(lastAbated) ? `after CRS resolved (day ${lastAbated})` : 'CRS no longer active';
  } else if (rebound) {
    status = 'met';
    short = `ferritin worsening after initial improvement (day ${rebound.nadir.day ?? '?'} nadir, local rule)`;
  } else {
    status = 'not-met';
    short = `CRS active since day ${active[0]?.onsetDay ?? '?'} and no ferritin rebound after improvement`;
  }
  return { result: criterion({ id, label, status, evidence, thresholds }), short };
}

/**
 * New or worsening cytopenia, judged against the post-infusion course (local rules): the latest value is
 * falling and is >= gradeRise CTCAE grades worse than the best grade reached after an earlier, worse
 * grade (falling again after recovery), or it newly reaches grade >= newGrade after the expected
 * post-lymphodepletion nadir window. Counts recovering from the nadir never count.
 */
function cytopenia(ctx: CriteriaContext): Finding {
  const { t } = ctx;
  const rise = t['astct.cytopenia.gradeRise'];
  const window = t['astct.cytopenia.nadirWindowDays'];
  const newGrade = t['astct.cytopenia.newGrade'];
  const thresholds = new Set<ThresholdId>(['astct.cytopenia.gradeRise', 'astct.cytopenia.nadirWindowDays', 'astct.cytopenia.newGrade']);
  const statuses: CriterionStatus[] = [];
  const evidence: Evidence[] = [];
  const missing: string[] = [];
  const missingAnalytes: Analyte[] = [];
  const shorts: string[] = [];
  for (const analyte of ['platelets', 'anc', 'hemoglobin'] as const) {
    const view = ctx.series(analyte);
    const values = view.sinceInfusion;
    const latest = values[values.length - 1];
    if (!latest || latest.epochMs < ctx.lookbackStartMs) {
      statuses.push('insufficient-data');
      missing.push(missingLab(analyte, view, recentScope(ctx)));
      missingAnalytes.push(analyte);
      continue;
    }
    const grades = values.map((v) => ctcaeGrade(analyte, v, undefined, t)?.grade ?? 0);
    ctcaeGrade(analyte, latest, undefined, t)?.thresholds.forEach((id) => thresholds.add(id));
    const latestGrade = grades[grades.length - 1] ?? 0;
    const previous = values[values.length - 2];
    const falling = previous !== undefined && latest.value < previous.value;
    // Best grade reached after an earlier, worse grade (a recovery point), before the latest value.
    let worstSoFar = view.baseline ? (ctcaeGrade(analyte, view.baseline, undefined, t)?.grade ?? 0) : -1;
    let recovered: { grade: number; value: LabValue } | undefined;
    for (let i = 0; i < values.length - 1; i++) {
      const g = grades[i] ?? 0;
      const v = values[i];
      if (v && g < worstSoFar && (!recovered || g <= recovered.grade)) recovered = { grade: g, value: v };
      worstSoFar = Math.max(worstSoFar, g);
    }
    const baselineGrade = view.baseline ? (ctcaeGrade(analyte, view.baseline, undefined, t)?.grade ?? 0) : undefined;
    const afterRecovery = falling && recovered !== undefined && latestGrade - recovered.grade >= rise;
    const lateNew =
      falling &&
      latestGrade >= newGrade &&
      latest.day !== undefined &&
      latest.day > window &&
      (baselineGrade === undefined || latestGrade > baselineGrade);
    const met = afterRecovery || lateNew;
    statuses.push(met ? 'met' : 'not-met');
    const name = ANALYTE_NAME[analyte];
    const course = afterRecovery
      ? `falling again after recovery: grade ${recovered?.grade ?? '?'} -> ${latestGrade}`
      : lateNew
        ? `new grade ${latestGrade} after day ${num(window)}`
        : falling
          ? `grade ${latestGrade}, no recovery to fall back from`
          : `grade ${latestGrade}, not falling (recovering or stable)`;
    evidence.push({ label: `${name}: ${course}`, analyte, value: latest, ...(recovered && { baseline: recovered.value }) });
    if (met) shorts.push(`${name} ${course}`);
  }
  return {
    result: criterion({
      id: 'astct-cytopenia',
      label: `New or worsening cytopenia: falling again after recovery (>= ${num(rise)} CTCAE grade) or new grade >= ${num(newGrade)} after day ${num(window)} (local rules)`,
      status: anyOf(statuses),
      evidence,
      missing,
      missingAnalytes,
      thresholds: [...thresholds],
    }),
    short: shorts.length ? `worsening cytopenia (${shorts.join(', ')})` : undefined,
  };
}

/** Hypofibrinogenemia: a recent value since infusion < the fixed cut-off or below its own LLN. */
function hypofibrinogenemia(ctx: CriteriaContext): Finding {
  const cut = ctx.t['astct.fibrinogen'];
  const label = `Hypofibrinogenemia: fibrinogen < ${withUnit(cut, 'mg/dL')} or < LLN`;
  const view = ctx.series('fibrinogen');
  const values = view.recentSinceInfusion;
  const thresholds: ThresholdId[] = ['astct.fibrinogen'];
  if (values.length === 0) {
    return { result: criterion({ id: 'astct-fibrinogen', label, status: 'insufficient-data', missing: [missingLab('fibrinogen', view, recentScope(ctx))], missingAnalytes: ['fibrinogen'], thresholds }) };
  }
  const { verdict, value } = anyValue(values, '<', (v) => Math.max(cut, v.low ?? -Infinity));
  if (verdict === undefined || !value) {
    return {
      result: criterion({
        id: 'astct-fibrinogen', label, status: 'insufficient-data', thresholds,
        evidence: [{ label: 'Fibrinogen: censored result, cannot tell', analyte: 'fibrinogen', ...(value && { value }) }],
        missing: ['fibrinogen (censored result undecidable)'],
      }),
    };
  }
  const byLln = verdict && value.low !== undefined && value.low > cut && compareValue(value, '<', cut) !== true;
  return {
    result: criterion({
      id: 'astct-fibrinogen',
      label,
      status: verdict ? 'met' : 'not-met',
      evidence: [{ label: verdict ? (byLln ? `Fibrinogen < LLN (${withUnit(value.low ?? cut, 'mg/dL')})` : `Fibrinogen < ${withUnit(cut, 'mg/dL')}`) : 'Lowest recent fibrinogen', analyte: 'fibrinogen', value }],
      thresholds,
    }),
    short: verdict ? `${lab(value)}${byLln ? ' < LLN' : ` < ${num(cut)}`}` : undefined,
  };
}

/** One lab judged against one rule; several roll up into a criterion with anyOf. */
interface Check {
  status: CriterionStatus;
  evidence?: Evidence;
  missing?: string;
  /** The lab to order when it is absent; unset when it was measured but cannot be judged. */
  analyte?: Analyte;
  short?: string;
}

/** Worst recent value since infusion compared with an absolute cut-off (censoring-aware). */
function absoluteCheck(ctx: CriteriaContext, analyte: Analyte, direction: 'above' | 'below', cutId: ThresholdId, unit: string): Check {
  const view = ctx.series(analyte);
  const cut = ctx.t[cutId];
  if (view.recentSinceInfusion.length === 0) return { status: 'insufficient-data', missing: missingLab(analyte, view, recentScope(ctx)), analyte };
  const sign = direction === 'above' ? '>' : '<';
  const { verdict, value } = anyValue(view.recentSinceInfusion, sign, cut);
  if (verdict === undefined) {
    return {
      status: 'insufficient-data',
      evidence: { label: `${ANALYTE_NAME[analyte]}: censored result, cannot tell if ${sign} ${withUnit(cut, unit)}`, analyte, value },
      missing: `${ANALYTE_NAME[analyte]} (censored result undecidable)`,
    };
  }
  return {
    status: verdict ? 'met' : 'not-met',
    evidence: { label: `${ANALYTE_NAME[analyte]} ${verdict ? sign : `not ${sign}`} ${withUnit(cut, unit)}`, analyte, value },
    analyte,
    short: verdict && value ? `${lab(value)} ${sign} ${num(cut)}` : undefined,
  };
}

function absolute(ctx: CriteriaContext, id: string, analyte: Analyte, direction: 'above' | 'below', cutId: ThresholdId, unit: string): Finding {
  const rule = `${ANALYTE_NAME[analyte]} ${direction === 'above' ? '>' : '<'} ${withUnit(ctx.t[cutId], unit)}`;
  return fromChecks(id, rule.charAt(0).toUpperCase() + rule.slice(1), [absoluteCheck(ctx, analyte, direction, cutId, unit)], [cutId]);
}

/**
 * Highest recent value since infusion above k x its own ULN (or k x an abnormal baseline, when asked).
 * `unitFree`: results in the analyte's other unit family count too, each against its own ULN (sCD25 in
 * pg/mL is "> ULN" on its own assay's range even though it never meets a U/mL cut-off).
 */
function aboveCheck(ctx: CriteriaContext, analyte: Analyte, multId: ThresholdId, baselineMultId?: ThresholdId, unitFree = false): Check {
  const view = ctx.series(analyte);
  const k = ctx.t[multId];
  const alternate = unitFree ? ctx.altSeries(analyte).recentSinceInfusion : [];
  const values = alternate.length ? [...view.recentSinceInfusion, ...alternate] : view.recentSinceInfusion;
  if (values.length === 0) return { status: 'insufficient-data', missing: missingLab(analyte, view, recentScope(ctx)), analyte };
  const name = ANALYTE_NAME[analyte];
  const undecidable = (v: LabValue | undefined, rule: string): Check => ({
    status: 'insufficient-data',
    evidence: { label: `${name}: censored result, cannot tell if ${rule}`, analyte, value: v },
    missing: `${name} (censored result undecidable)`,
  });
  const baseline = view.baseline;
  const baselineUln = baseline?.high ?? view.recentSinceInfusion.at(-1)?.high;
  if (baselineMultId && baseline && !baseline.comparator && baselineUln !== undefined && baseline.value > baselineUln && baseline.value > 0) {
    const kb = ctx.t[baselineMultId];
    const after = view.recentSinceInfusion.filter((v) => v.source !== baseline.source);
    const { verdict, value } = anyValue(after.length ? after : view.recentSinceInfusion, '>', kb * baseline.value);
    if (verdict === undefined) return undecidable(value, `> ${num(kb)}x abnormal baseline`);
    const worst = value;
    if (!worst) return { status: 'insufficient-data', missing: `${name} since infusion`, analyte };
    return {
      status: verdict ? 'met' : 'not-met',
      evidence: { label: `${name} ${ratioPrefix(worst)}${num(worst.value / baseline.value)}x abnormal baseline (${verdict ? '>' : 'not >'} ${num(kb)}x)`, analyte, value: worst, baseline },
      analyte,
      short: verdict ? `${lab(worst)} > ${num(kb)}x abnormal baseline` : undefined,
    };
  }
  const { verdict, value } = anyValue(values, '>', (v) => (v.high !== undefined && v.high > 0 ? k * v.high : undefined));
  if (!value) return { status: 'insufficient-data', missing: `${name} reference range`, analyte };
  if (verdict === undefined) return undecidable(value, `> ${num(k)}x ULN`);
  const ownAssay = alternate.includes(value) ? `, ${value.unit} assay vs its own range` : '';
  return {
    status: verdict ? 'met' : 'not-met',
    evidence: { label: `${name} ${ratioPrefix(value)}${value.high ? num(value.value / value.high) : '?'}x ULN (${verdict ? '>' : 'not >'} ${num(k)}x${ownAssay})`, analyte, value },
    analyte,
    short: verdict ? `${lab(value)} > ${num(k)}x ULN` : undefined,
  };
}

function fromChecks(id: string, label: string, checks: Check[], thresholds: ThresholdId[]): Finding {
  const missing = checks.filter((c) => c.missing);
  return {
    result: criterion({
      id,
      label,
      status: anyOf(checks.map((c) => c.status)),
      evidence: checks.flatMap((c) => (c.evidence ? [c.evidence] : [])),
      missing: missing.flatMap((c) => (c.missing ? [c.missing] : [])),
      missingAnalytes: missing.flatMap((c) => (c.analyte ? [c.analyte] : [])),
      thresholds,
    }),
    short: checks.find((c) => c.short)?.short,
  };
}

function transaminitis(ctx: CriteriaContext): Finding {
  const { t } = ctx;
  const ids: ThresholdId[] = ['astct.transaminase.ulnMultiple', 'astct.transaminase.baselineMultiple'];
  const checks = (['ast', 'alt'] as const).map((a) => aboveCheck(ctx, a, 'astct.transaminase.ulnMultiple', 'astct.transaminase.baselineMultiple'));
  const label = `Transaminitis: AST or ALT > ${num(t['astct.transaminase.ulnMultiple'])}x ULN (or > ${num(t['astct.transaminase.baselineMultiple'])}x abnormal baseline)`;
  return fromChecks('astct-transaminases', label, checks, ids);
}

function coagulopathy(ctx: CriteriaContext): Finding {
  const inr = ctx.series('inr');
  const prothrombin: Check = inr.recentSinceInfusion.length > 0 || ctx.series('pt').recentSinceInfusion.length === 0
    ? (() => {
        const f = absolute(ctx, 'astct-inr', 'inr', 'above', 'astct.coag.inr', '{INR}');
        return { status: f.result.status, evidence: f.result.evidence[0], missing: f.result.missing[0], analyte: 'inr' as const, short: f.short };
      })()
    : aboveCheck(ctx, 'pt', 'astct.coag.ptUlnMultiple');
  const aptt = aboveCheck(ctx, 'aptt', 'astct.coag.apttUlnMultiple');
  const t = ctx.t;
  return fromChecks('astct-coagulopathy', `Coagulopathy: INR > ${num(t['astct.coag.inr'])} (or PT > ULN), or aPTT > ULN`, [prothrombin, aptt], [
    'astct.coag.inr', 'astct.coag.ptUlnMultiple', 'astct.coag.apttUlnMultiple',
  ]);
}

function aboveUln(ctx: CriteriaContext, id: string, label: string, analyte: Analyte, multId: ThresholdId, unitFree = false): Finding {
  return fromChecks(id, label, [aboveCheck(ctx, analyte, multId, undefined, unitFree)], [multId]);
}

function documented(ctx: CriteriaContext, id: string, label: string): Finding {
  const found = ctx.finding('splenomegaly');
  return found
    ? { result: criterion({ id, label, status: 'met', evidence: [{ label: 'Documented splenomegaly', note: found.display ?? 'splenomegaly' }], thresholds: [] }), short: 'splenomegaly' }
    : { result: criterion({ id, label, status: 'insufficient-data', missing: ['splenomegaly (exam or imaging)'], thresholds: [] }) };
}

function fever(ctx: CriteriaContext): Finding {
  const view = ctx.series('temperature');
  const cut = ctx.t['fever.celsius'];
  const label = `Fever >= ${withUnit(cut, 'Cel')}`;
  if (view.recentSinceInfusion.length === 0) return { result: criterion({ id: 'astct-fever', label, status: 'insufficient-data', missing: [missingLab('temperature', view, recentScope(ctx))], thresholds: ['fever.celsius'] }) };
  const { verdict, value } = anyValue(view.recentSinceInfusion, '>=', cut);
  const met = verdict === true;
  return {
    result: criterion({ id: 'astct-fever', label, status: met ? 'met' : 'not-met', evidence: [{ label: met ? label : 'Highest recent temperature', analyte: 'temperature', value }], thresholds: ['fever.celsius'] }),
    short: met && value ? lab(value) : undefined,
  };
}

export function assessAstct(ctx: CriteriaContext): Assessment {
  const { t } = ctx;
  const key = ferritinKey(ctx);
  const timing = crsTiming(ctx);
  const hemophagocytosis: Finding = { result: hemophagocytosisFinding(ctx, 'astct-hemophagocytosis'), short: 'hemophagocytosis' };
  const core: Finding[] = [
    cytopenia(ctx),
    hypofibrinogenemia(ctx),
    transaminitis(ctx),
    hemophagocytosis,
  ];
  const supportive: Finding[] = [
    aboveUln(ctx, 'astct-ldh', `LDH > ${num(t['astct.ldh.ulnMultiple'])}x ULN`, 'ldh', 'astct.ldh.ulnMultiple'),
    absolute(ctx, 'astct-triglycerides', 'triglycerides', 'above', 'astct.triglycerides', 'mg/dL'),
    aboveUln(ctx, 'astct-bilirubin-direct', `Direct bilirubin > ${num(t['astct.bilirubinDirect.ulnMultiple'])}x ULN`, 'bilirubinDirect', 'astct.bilirubinDirect.ulnMultiple'),
    coagulopathy(ctx),
    fever(ctx),
    documented(ctx, 'astct-splenomegaly', 'Splenomegaly'),
    aboveUln(ctx, 'astct-scd25', `sCD25 (sIL-2R) > ${num(t['astct.sCD25.ulnMultiple'])}x ULN`, 'sil2r', 'astct.sCD25.ulnMultiple', true),
  ];
  const required = t['astct.minCoreFeatures'];
  const coreCount = atLeast(core.map((f) => f.result), required);
  const coreMet = core.filter((f) => f.result.status === 'met');
  const coreShort = coreMet.map((f) => f.short).filter(Boolean).join(', ');

  let status: CriterionStatus;
  let summary: string;
  if (key.result.status === 'not-met') {
    status = 'not-met';
    summary = key.judgement?.course.pattern === 'falling-tail'
      ? `Not met: ${key.short ?? 'ferritin'} (a ferritin still falling from its peak is not the key criterion)`
      : `Not met: ${key.short ?? 'ferritin'} is not > ${num(t['astct.ferritin.ulnMultiple'])}x ULN or ${num(t['astct.ferritin.baselineMultiple'])}x baseline, and not rising`;
  } else if (key.result.status === 'insufficient-data') {
    status = 'insufficient-data';
    summary = `Insufficient data: ${key.result.missing[0] ?? 'ferritin cannot be judged'}`;
  } else if (timing.result.status === 'not-met') {
    status = 'not-met';
    summary = `Not met: ${key.short}, but ${timing.short}`;
  } else if (coreCount.status === 'met') {
    status = 'met';
    summary = `Met: ${key.short}; ${timing.short}; ${coreShort}`;
  } else if (coreCount.status === 'not-met') {
    status = 'not-met';
    summary = `Not met: ${key.short}, but no cytopenia worsening, fibrinogen < ${num(t['astct.fibrinogen'])}, transaminitis or hemophagocytosis`;
  } else {
    status = 'insufficient-data';
    summary = `Insufficient data: ${key.short}; ${timing.short}; core features unknown: ${core
      .filter((f) => f.result.status === 'insufficient-data')
      .map((f) => (f.result.label.split(/[:(]/)[0] ?? '').trim().toLowerCase())
      .join(', ')}`;
  }
  const criteria = [key, timing, ...core, ...supportive].map((f) => f.result);
  return {
    id: 'astct-iec-hs',
    name: 'ASTCT IEC-HS framework',
    source: SOURCES['astct-iec-hs'],
    status,
    summary,
    criteria,
    score: { value: coreCount.met, max: core.length, label: `Core manifestations met (local rule: ${required} needed)` },
    ...rollUpMissing(criteria),
  };
}
