/**
 * CARTOX carHLH/MAS (Neelapu 2018; docs/clinical-basis.md#carhlh): peak ferritin
 * > 10,000 ng/mL during the CRS phase, AND any 2 of: grade >= 3 liver, kidney or lung toxicity;
 * hemophagocytosis. The CRS phase is the first 5 days after infusion or any recorded CRS episode; organ
 * items count from the infusion on (a simultaneous value counts as "later").
 */
import type { LabValue } from '../features/types.js';
import { anyValue } from './censored.js';
import type { CriteriaContext } from './context.js';
import { lab, num, plural, valueText } from './format.js';
import { hemophagocytosisFinding, kidneyToxicity, liverToxicity, lungToxicity } from './organs.js';
import { atLeast, criterion, missingLab, rollUpMissing } from './result.js';
import { SOURCES } from './sources.js';
import type { Assessment, CriterionResult, CriterionStatus } from './types.js';

function inCrsPhase(ctx: CriteriaContext, v: LabValue): boolean {
  const day = v.day;
  if (day === undefined || day < 0) return false;
  if (day <= ctx.t['carhlh.crsPhaseDays']) return true;
  return (ctx.timeline.crsEpisodes ?? []).some(
    (e) => e.onsetDay !== undefined && day >= e.onsetDay && day <= (e.abatementDay ?? (e.active ? Infinity : e.onsetDay)),
  );
}

function ferritinInCrsPhase(ctx: CriteriaContext): CriterionResult {
  const view = ctx.series('ferritin');
  const cut = ctx.t['carhlh.ferritin'];
  const label = `Peak ferritin > ${num(cut)} ng/mL during the CRS phase`;
  const inPhase = view.sinceInfusion.filter((v) => inCrsPhase(ctx, v));
  const thresholds = ['carhlh.ferritin', 'carhlh.crsPhaseDays'] as const;
  if (inPhase.length === 0) {
    const scope = `none during CRS or days 0-${ctx.t['carhlh.crsPhaseDays']}`;
    return criterion({ id: 'carhlh-ferritin', label, status: 'insufficient-data', missing: [missingLab('ferritin', view, scope)], missingAnalytes: ['ferritin'], thresholds: [...thresholds] });
  }
  const { verdict, value: peak } = anyValue(inPhase, '>', cut);
  if (verdict === undefined) {
    return criterion({
      id: 'carhlh-ferritin', label, status: 'insufficient-data',
      evidence: [{ label: `Censored ferritin in CRS phase: cannot tell if > ${num(cut)} ng/mL`, analyte: 'ferritin', value: peak }],
      missing: ['ferritin (censored result undecidable)'],
      thresholds: [...thresholds],
    });
  }
  return criterion({
    id: 'carhlh-ferritin',
    label,
    status: verdict ? 'met' : 'not-met',
    evidence: [{ label: verdict ? `Ferritin > ${num(cut)} ng/mL in CRS phase` : 'Peak ferritin in CRS phase', analyte: 'ferritin', value: peak }],
    thresholds: [...thresholds],
  });
}

export function assessCarHlh(ctx: CriteriaContext): Assessment {
  const ferritin = ferritinInCrsPhase(ctx);
  const organs = [
    liverToxicity(ctx, 'carhlh', 'carhlh.organGrade'),
    kidneyToxicity(ctx, 'carhlh', 'carhlh.organGrade'),
    lungToxicity(ctx, 'carhlh', 'carhlh.organGrade'),
    hemophagocytosisFinding(ctx, 'carhlh-hemophagocytosis'),
  ];
  const required = ctx.t['carhlh.minOrganCriteria'];
  const count = atLeast(organs, required);
  const organsMet = organs.filter((o) => o.status === 'met').map((o) => (o.label.split(':')[0] ?? '').toLowerCase());
  const peak = ferritin.evidence[0]?.value;

  let status: CriterionStatus;
  let summary: string;
  if (ferritin.status === 'not-met') {
    status = 'not-met';
    summary = `Not met: peak CRS-phase ferritin ${peak ? valueText(peak) : ''} is not > ${num(ctx.t['carhlh.ferritin'])} ng/mL`;
  } else if (count.status === 'not-met') {
    status = 'not-met';
    summary = `Not met: ${count.met} of ${required} organ criteria met and only ${plural(count.unknown, 'item')} unknown`;
  } else if (ferritin.status === 'met' && count.status === 'met') {
    status = 'met';
    summary = `Met: ${peak ? lab(peak) : 'ferritin'} > ${num(ctx.t['carhlh.ferritin'])} in CRS phase + ${organsMet.join(', ')}`;
  } else {
    status = 'insufficient-data';
    summary =
      ferritin.status === 'insufficient-data'
        ? 'Insufficient data: no ferritin in the CRS phase'
        : `Insufficient data: ${peak ? lab(peak) : 'ferritin'} > ${num(ctx.t['carhlh.ferritin'])} in CRS phase; ${count.met} of ${required} organ criteria met, ${count.unknown} unknown`;
  }
  const criteria = [ferritin, ...organs];
  return {
    id: 'carhlh',
    name: 'CARTOX carHLH/MAS',
    source: SOURCES.carhlh,
    status,
    summary,
    criteria,
    score: { value: count.met, max: organs.length, label: `Organ criteria met (${required} needed)` },
    ...rollUpMissing(criteria),
  };
}
