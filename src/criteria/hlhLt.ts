/**
 * PRWCC HLH-like toxicity, HLH-LT (McNerney 2023 as restated in docs/clinical-basis.md#hlh-lt):
 * peak ferritin >= 10,000 ng/mL within 30 days of infusion, plus >= 2 of: grade >= 3 renal, pulmonary
 * or hepatic toxicity (each organ counts once, as in CARTOX), hypofibrinogenemia < 150 mg/dL,
 * hemophagocytosis. The restatement gives no time limit for the features: counted since infusion.
 */
import { anyValue } from './censored.js';
import type { CriteriaContext } from './context.js';
import { lab, num, plural, valueText } from './format.js';
import { fibrinogenBelowSinceInfusion, hemophagocytosisFinding, kidneyToxicity, liverToxicity, lungToxicity } from './organs.js';
import { atLeast, criterion, missingLab, rollUpMissing } from './result.js';
import { SOURCES } from './sources.js';
import type { Assessment, CriterionResult, CriterionStatus } from './types.js';

function peakFerritinInWindow(ctx: CriteriaContext): CriterionResult {
  const view = ctx.series('ferritin');
  const cut = ctx.t['hlhlt.ferritin'];
  const windowDays = ctx.t['hlhlt.windowDays'];
  const label = `Peak ferritin >= ${num(cut)} ng/mL within ${windowDays} days of infusion`;
  const inWindow = view.sinceInfusion.filter((v) => v.day !== undefined && v.day >= 0 && v.day <= windowDays);
  const thresholds = ['hlhlt.ferritin', 'hlhlt.windowDays'] as const;
  if (inWindow.length === 0) {
    return criterion({ id: 'hlhlt-ferritin', label, status: 'insufficient-data', missing: [missingLab('ferritin', view, `none in days 0-${windowDays}`)], missingAnalytes: ['ferritin'], thresholds: [...thresholds] });
  }
  const { verdict, value: peak } = anyValue(inWindow, '>=', cut);
  if (verdict === undefined) {
    return criterion({
      id: 'hlhlt-ferritin', label, status: 'insufficient-data',
      evidence: [{ label: `Censored ferritin: cannot tell if >= ${num(cut)} ng/mL`, analyte: 'ferritin', value: peak }],
      missing: ['ferritin (censored result undecidable)'],
      thresholds: [...thresholds],
    });
  }
  return criterion({
    id: 'hlhlt-ferritin',
    label,
    status: verdict ? 'met' : 'not-met',
    evidence: [{ label: verdict ? `Ferritin >= ${num(cut)} ng/mL` : `Peak ferritin, days 0-${windowDays}`, analyte: 'ferritin', value: peak }],
    thresholds: [...thresholds],
  });
}

export function assessHlhLt(ctx: CriteriaContext): Assessment {
  const ferritin = peakFerritinInWindow(ctx);
  const features = [
    kidneyToxicity(ctx, 'hlhlt', 'hlhlt.organGrade'),
    lungToxicity(ctx, 'hlhlt', 'hlhlt.organGrade'),
    liverToxicity(ctx, 'hlhlt', 'hlhlt.organGrade'),
    fibrinogenBelowSinceInfusion(ctx, 'hlhlt-fibrinogen', 'hlhlt.fibrinogen'),
    hemophagocytosisFinding(ctx, 'hlhlt-hemophagocytosis'),
  ];
  const required = ctx.t['hlhlt.minFeatures'];
  const count = atLeast(features, required);
  const metLabels = features.filter((f) => f.status === 'met').map((f) => (f.label.split(':')[0] ?? '').toLowerCase());
  const peak = ferritin.evidence[0]?.value;

  let status: CriterionStatus;
  let summary: string;
  if (ferritin.status === 'not-met') {
    status = 'not-met';
    summary = `Not met: peak ferritin ${peak ? valueText(peak) : ''} is below ${num(ctx.t['hlhlt.ferritin'])} ng/mL`;
  } else if (count.status === 'not-met') {
    status = 'not-met';
    summary = `Not met: ${count.met} of ${required} features met and only ${plural(count.unknown, 'item')} unknown`;
  } else if (ferritin.status === 'met' && count.status === 'met') {
    status = 'met';
    summary = `Met: ${peak ? lab(peak) : 'ferritin'} >= ${num(ctx.t['hlhlt.ferritin'])} + ${metLabels.join(', ')}`;
  } else {
    status = 'insufficient-data';
    summary =
      ferritin.status === 'insufficient-data'
        ? `Insufficient data: no ferritin in days 0-${ctx.t['hlhlt.windowDays']}`
        : `Insufficient data: ${peak ? lab(peak) : 'ferritin'} >= ${num(ctx.t['hlhlt.ferritin'])}; ${count.met} of ${required} features met, ${count.unknown} unknown`;
  }
  const criteria = [ferritin, ...features];
  return {
    id: 'hlh-lt',
    name: 'PRWCC HLH-like toxicity (HLH-LT)',
    source: SOURCES['hlh-lt'],
    status,
    summary,
    criteria,
    score: { value: count.met, max: features.length, label: `Features met (${required} needed)` },
    ...rollUpMissing(criteria),
  };
}
