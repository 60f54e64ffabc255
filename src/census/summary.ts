/**
 * One patient's Evaluation -> one census row. Reads only the engine's typed verdict (`picture.tier`,
 * falling back to `iecHsPicture` / `severeOrganDysfunction` when the engine does not fill `picture`);
 * no clinical rule is applied here.
 */
import type { Patient } from 'fhir/r4';
import { ANALYTE_NAME, withUnit } from '../criteria/format.js';
import type { Evaluation, Tier } from '../criteria/types.js';
import type { Analyte, LabValue } from '../features/types.js';
import { pictureMet } from './episodes.js';
import type { CensusEntry, KeyValue, Movement } from './types.js';

/** The values a toxicity huddle reads first for IEC-HS, in display order. */
export const KEY_ANALYTES: readonly Analyte[] = ['ferritin', 'fibrinogen', 'ast', 'alt', 'bilirubinTotal', 'creatinine', 'platelets', 'anc', 'ldh', 'crp'];

export function tierOf(e: Evaluation): Tier {
  if (e.picture) return e.picture.tier;
  if (e.iecHsPicture) return e.severeOrganDysfunction ? 'critical' : 'warning';
  return e.workupDue.length > 0 ? 'watch' : 'none';
}

function movement(latest: LabValue, previous: LabValue | undefined): Movement {
  if (!previous) return 'single';
  return latest.value > previous.value ? 'up' : latest.value < previous.value ? 'down' : 'same';
}

function keyValues(e: Evaluation): KeyValue[] {
  const out: KeyValue[] = [];
  const now = e.timeline.nowEpochMs;
  for (const analyte of KEY_ANALYTES) {
    const values = e.timeline.labs[analyte]?.values.filter((v) => v.epochMs <= now) ?? [];
    const latest = values.at(-1);
    if (!latest) continue;
    const previous = values.at(-2);
    const direction = analyte === 'ferritin' && e.ferritinCourse ? e.ferritinCourse.direction : movement(latest, previous);
    out.push({
      analyte,
      label: ANALYTE_NAME[analyte],
      value: latest.value,
      unit: latest.unit,
      text: `${latest.comparator ?? ''}${withUnit(latest.value, latest.unit)}`,
      ...(latest.comparator ? { comparator: latest.comparator } : {}),
      time: latest.time,
      ...(latest.day !== undefined ? { day: latest.day } : {}),
      direction,
      ...(previous ? { previous: previous.value } : {}),
    });
  }
  return out;
}

export function patientName(patient: Patient | undefined): string | undefined {
  const name = patient?.name?.find((n) => n.use === 'official') ?? patient?.name?.[0];
  if (!name) return undefined;
  const text = name.text ?? [...(name.given ?? []), name.family ?? ''].join(' ').trim();
  return text || undefined;
}

export function censusEntry(patientId: string, e: Evaluation, opts: { evaluatedAt: string; partialData: string[]; patient?: Patient }): CensusEntry {
  const tl = e.timeline;
  const active = tl.crsEpisodes.find((c) => c.active);
  const latestCrs = active ?? tl.crsEpisodes.at(-1);
  const tier = tierOf(e);
  const name = patientName(opts.patient);
  return {
    patientId,
    ...(name ? { name } : {}),
    watched: e.watched,
    watchReason: e.watchReason,
    ...(e.exposure?.class ?? tl.infusion?.exposure ? { exposureClass: e.exposure?.class ?? tl.infusion?.exposure } : {}),
    ...(e.exposure?.product ?? tl.infusion?.product ? { product: e.exposure?.product ?? tl.infusion?.product } : {}),
    ...(tl.dayNow !== undefined ? { day: tl.dayNow } : {}),
    crs: { state: active ? 'active' : latestCrs ? 'resolved' : 'none', ...(latestCrs?.grade !== undefined ? { grade: latestCrs.grade } : {}) },
    iecHs: pictureMet(tier) ? 'met' : tier === 'watch' ? 'watch' : 'not-met',
    tier,
    ...(e.picture?.rule ? { rule: e.picture.rule } : e.iecHsPicture ? { rule: 'astct-iec-hs' } : {}),
    overlappingCrs: e.picture?.overlappingCrs ?? false,
    keyValues: keyValues(e),
    labsDue: [...e.workupDue],
    labsDueLabels: e.workupDue.map((a) => ANALYTE_NAME[a]),
    partialData: opts.partialData,
    evaluatedAt: opts.evaluatedAt,
  };
}

/** Corticosteroid and anakinra administrations (given, not ordered) seen in the timeline. */
export function treatmentTimes(e: Evaluation): string[] {
  return e.timeline.treatments
    .filter((t) => t.kind === 'given' && (t.class === 'corticosteroid' || t.class === 'anakinra') && typeof t.time === 'string')
    .map((t) => t.time as string);
}
