/**
 * The engine's verdict (Evaluation.picture): critical / warning / watch / none. Cards map the tier to an
 * indicator and never re-apply a clinical rule.
 *
 * - Warning (critical with severe organ dysfunction, severity.ts) needs the HLH-like picture AND a
 *   specific sign: hypofibrinogenemia (< 150 mg/dL or < LLN), transaminases > 5x ULN,
 *   hemophagocytosis, or a ferritin rise (new rise, rise from the post-CRS nadir, rapid rise).
 *   Ferritin plus cytopenia alone is a watch.
 *   - ASTCT framework: key ferritin + timing + >= 1 core manifestation, with a specific sign.
 *   - Overlap with active CRS ("HLH-like features overlapping active CRS"): CARTOX carHLH met, PRWCC
 *     HLH-LT met, or the ASTCT picture met except for its timing with a specific sign other than the
 *     ferritin rise itself (ferritin rises in every CRS).
 * - A ferritin still falling from its peak (or below its previous value) is never a warning, whatever
 *   else is met: the picture is a watch ("elevated but falling") with repeat labs.
 * - Watch reasons are typed so cards word them without parsing prose.
 */
import { HOUR_MS, type CriteriaContext } from './context.js';
import { RISING_PATTERNS } from './ferritinCourse.js';
import { SEVERITY_ANALYTES } from './severity.js';
import type { Assessment, FerritinCourse, OrganGrade, Picture, TreatmentState } from './types.js';

const SIGN_BY_CRITERION: Readonly<Record<string, string>> = {
  'astct-fibrinogen': 'fibrinogen-low',
  'astct-transaminases': 'transaminases-5x',
  'astct-hemophagocytosis': 'hemophagocytosis',
};
const CORE = ['astct-cytopenia', 'astct-fibrinogen', 'astct-transaminases', 'astct-hemophagocytosis'];

export interface PictureInput {
  watched: boolean;
  assessments: readonly Assessment[];
  course?: FerritinCourse;
  severe: boolean;
  workupDue: readonly string[];
  worstOrgan?: OrganGrade;
}

function status(assessments: readonly Assessment[], id: Assessment['id']): Assessment['status'] | undefined {
  return assessments.find((a) => a.id === id)?.status;
}

/** A CRS episode is active (not resolved, not stale: the ASTCT timing criterion says so). */
function crsActive(ctx: CriteriaContext): boolean {
  const { t, timeline } = ctx;
  const dayNow = timeline.dayNow;
  return (timeline.crsEpisodes ?? []).some(
    (e) => e.active && !(e.onsetDay !== undefined && dayNow !== undefined && dayNow - e.onsetDay >= t['astct.timing.staleCrsDays']),
  );
}

export function computePicture(ctx: CriteriaContext, input: PictureInput): Picture {
  const none: Picture = { tier: 'none', overlappingCrs: false, specificSigns: [], watchReasons: [] };
  if (!input.watched) return none;
  const astct = input.assessments.find((a) => a.id === 'astct-iec-hs');
  const byId = new Map((astct?.criteria ?? []).map((c) => [c.id, c.status] as const));
  const keyMet = byId.get('astct-ferritin') === 'met';
  const timingMet = byId.get('astct-timing') === 'met';
  const coreMet = CORE.some((id) => byId.get(id) === 'met');
  const organSigns = Object.entries(SIGN_BY_CRITERION).filter(([id]) => byId.get(id) === 'met').map(([, sign]) => sign);
  const rising = input.course !== undefined && RISING_PATTERNS.has(input.course.pattern);
  // Falling at the latest value (below the previous one) or on the tail: never an alert. Peak-based rules
  // (CARTOX, HLH-LT) look back at the peak, so without this a resolving course could still alert.
  const course = input.course;
  const falling = course?.pattern === 'falling-tail' || (course?.previous !== undefined && course.latest.value < course.previous.value);
  const specificSigns = rising ? [...organSigns, 'ferritin-rise'] : organSigns;
  const active = crsActive(ctx);
  const alertTier = input.severe ? 'critical' : 'warning';

  if (!falling) {
    if (keyMet && timingMet && coreMet && specificSigns.length > 0) {
      return { tier: alertTier, rule: 'astct-iec-hs', overlappingCrs: active, specificSigns, watchReasons: [] };
    }
    if (active) {
      const rule = status(input.assessments, 'carhlh') === 'met'
        ? 'carhlh'
        : status(input.assessments, 'hlh-lt') === 'met'
          ? 'hlh-lt'
          : keyMet && coreMet && organSigns.length > 0
            ? 'astct-iec-hs'
            : undefined;
      if (rule) return { tier: alertTier, rule, overlappingCrs: true, specificSigns, watchReasons: [] };
    }
  }

  const watchReasons: string[] = [];
  if (course?.pattern === 'falling-tail') watchReasons.push('ferritin-falling');
  else if (keyMet && timingMet && coreMet && !falling) watchReasons.push('ferritin-cytopenia-only');
  else if (keyMet && timingMet && !falling) watchReasons.push(rising ? 'ferritin-rising' : 'ferritin-elevated');
  if (astct?.status === 'insufficient-data') watchReasons.push('insufficient-data');
  if (input.workupDue.length > 0) watchReasons.push('workup-due');
  if (input.worstOrgan) watchReasons.push('organ-value');
  return { tier: watchReasons.length > 0 ? 'watch' : 'none', overlappingCrs: false, specificSigns, watchReasons };
}

/** The worst liver, kidney or coagulation value at or above severity.minGrade (sets critical vs warning). */
export function worstOrganGrade(ctx: CriteriaContext, grades: readonly OrganGrade[]): OrganGrade | undefined {
  return [...grades].sort((a, b) => b.grade - a.grade).find((g) => SEVERITY_ANALYTES.has(g.analyte) && g.grade >= ctx.t['severity.minGrade']);
}

/** What IEC-HS-directed treatment is running (given or ordered since the infusion), for the management text. */
export function treatmentState(ctx: CriteriaContext): TreatmentState {
  // Running now: given inside the window, or an order still active (a course given for CRS last week is not).
  const fromMs = ctx.nowMs - ctx.t['treatment.currentHours'] * HOUR_MS;
  const current = (ctx.timeline.treatments ?? []).filter((tr) => {
    if (tr.kind === 'ordered') return tr.status === 'active' && (tr.day === undefined || tr.day >= 0);
    const ms = tr.time === undefined ? Number.NaN : Date.parse(tr.time);
    return ms >= fromMs && ms <= ctx.nowMs;
  });
  const has = (...classes: string[]): boolean => current.some((tr) => classes.includes(tr.class));
  return {
    corticosteroid: has('corticosteroid'),
    anakinra: has('anakinra'),
    refractoryTherapy: has('ruxolitinib', 'emapalumab', 'etoposide'),
    il6Blockade: has('il6-blockade'),
  };
}
