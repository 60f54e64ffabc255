/**
 * The values a verdict quotes, taken from the engine's typed output: the ferritin course (latest value
 * and direction), the specific signs that made the picture, the worst organ value. Cards pick and word
 * them; they never judge a value against a threshold.
 */
import type { CriterionResult, Evaluation, OrganGrade } from '../criteria/types.js';
import type { Analyte, LabValue } from '../features/types.js';
import { ANALYTE_LABEL, formatDay, formatLab, formatNumber } from './format.js';
import { previousValue } from './labText.js';

/** The assessment whose rule fired (ASTCT unless the engine names another). */
export function firedAssessmentId(evaluation: Evaluation): 'astct-iec-hs' | 'carhlh' | 'hlh-lt' {
  return evaluation.picture?.rule ?? 'astct-iec-hs';
}

export function criteriaOf(evaluation: Evaluation, id: string): CriterionResult[] {
  return evaluation.assessments.find((a) => a.id === id)?.criteria ?? [];
}

/** Latest ferritin: the engine's course when given, else the newest value on file at `now`. */
export function latestFerritin(evaluation: Evaluation): LabValue | undefined {
  if (evaluation.ferritinCourse) return evaluation.ferritinCourse.latest;
  const { labs, nowEpochMs } = evaluation.timeline;
  return labs.ferritin?.values.filter((v) => v.epochMs <= nowEpochMs).at(-1);
}

/** `today` or `day 9`. */
function dayWord(value: LabValue, evaluation: Evaluation): string {
  return value.day !== undefined && value.day === evaluation.timeline.dayNow ? 'today' : `day ${formatDay(value.day)}`;
}

/** `ferritin 520 ng/mL today, falling from 8,600 on day 3`: plain text for summaries. */
export function ferritinPhrase(evaluation: Evaluation): string | undefined {
  const course = evaluation.ferritinCourse;
  const latest = latestFerritin(evaluation);
  if (!latest) return undefined;
  const head = `ferritin ${formatLab(latest)} ${dayWord(latest, evaluation)}`;
  if (course) {
    const ref =
      (course.pattern === 'falling-tail' ? course.peak : course.pattern === 'new-rise' || course.pattern === 'rise-from-nadir' ? course.nadir : undefined) ??
      course.previous;
    if (course.direction === 'single' || course.direction === 'stable' || !ref) return course.direction === 'stable' ? `${head}, stable` : head;
    return `${head}, ${course.direction} from ${formatNumber(ref.value)} on day ${formatDay(ref.day)}`;
  }
  const previous = previousValue(evaluation.timeline.labs.ferritin, latest);
  if (!previous || previous.value === latest.value) return head;
  return `${head}, ${latest.value > previous.value ? 'up' : 'down'} from ${formatNumber(previous.value)} on day ${formatDay(previous.day)}`;
}

/** The labs each typed specific sign of the engine (Picture.specificSigns) is read from. */
const SIGN_ANALYTES: Readonly<Record<string, readonly Analyte[]>> = {
  'fibrinogen-low': ['fibrinogen'],
  'transaminases-5x': ['ast', 'alt'],
  'ferritin-rise': ['ferritin'],
};

/** Analytes behind the engine's specific signs, in the engine's order. */
export function signAnalytes(evaluation: Evaluation): Analyte[] {
  return (evaluation.picture?.specificSigns ?? []).flatMap((sign) => SIGN_ANALYTES[sign] ?? []);
}

/** True when a met criterion is one of the engine's specific signs (by its id, or by the lab it read). */
export function isSignCriterion(criterion: CriterionResult, evaluation: Evaluation): boolean {
  const signs = evaluation.picture?.specificSigns ?? [];
  if (signs.includes(criterion.id)) return true;
  const analytes = signAnalytes(evaluation);
  return criterion.evidence.some((e) => e.value !== undefined && analytes.includes(e.value.analyte));
}

/** The first lab value behind the engine's specific signs (fibrinogen, transaminases), not ferritin. */
export function specificSignValue(evaluation: Evaluation): LabValue | undefined {
  const met = criteriaOf(evaluation, firedAssessmentId(evaluation)).filter((c) => c.status === 'met');
  const signs = evaluation.picture?.specificSigns ?? [];
  // By criterion id first (engines that name signs after criteria), then by the lab each sign reads.
  for (const sign of signs) {
    const value = met.find((c) => c.id === sign)?.evidence.find((e) => e.value && e.value.analyte !== 'ferritin')?.value;
    if (value) return value;
  }
  for (const analyte of signAnalytes(evaluation).filter((a) => a !== 'ferritin')) {
    const value = met.flatMap((c) => c.evidence).find((e) => e.value?.analyte === analyte)?.value;
    if (value) return value;
  }
  return undefined;
}

/** The worst organ value the engine named; old engines: none (the tier still says critical). */
export function worstOrgan(evaluation: Evaluation): OrganGrade | undefined {
  return evaluation.worstOrgan;
}

/** `grade 3 AST`. */
export function organPhrase(organ: OrganGrade): string {
  return `grade ${organ.grade} ${ANALYTE_LABEL[organ.analyte]}`;
}
