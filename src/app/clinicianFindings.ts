/**
 * Findings a clinician enters in the app that structured data rarely holds (organomegaly,
 * hemophagocytosis, known immunosuppression). They are added to a copy of the timeline as diagnoses
 * with basis `clinician`, so HScore and HLH-2004 count them by their own rules; they live only in the
 * page's memory and are never stored or sent anywhere.
 */
import type { Diagnosis, DiagnosisKind, PatientTimeline } from '../features/types.js';

export type ClinicianFindingId = 'splenomegaly' | 'hemophagocytosis' | 'immunosuppression';

export const CLINICIAN_FINDINGS: readonly { id: ClinicianFindingId; kind: DiagnosisKind; label: string; hint: string }[] = [
  { id: 'splenomegaly', kind: 'splenomegaly', label: 'Splenomegaly / organomegaly', hint: 'on examination or imaging' },
  { id: 'hemophagocytosis', kind: 'hemophagocytosis', label: 'Hemophagocytosis', hint: 'bone marrow, spleen or lymph node' },
  { id: 'immunosuppression', kind: 'immunosuppression', label: 'Known immunosuppression', hint: 'HIV or long-term immunosuppressive therapy' },
];

export const CLINICIAN_SOURCE = 'clinician-entered (this page only, not stored)';

export function withClinicianFindings(timeline: PatientTimeline, entered: ReadonlySet<ClinicianFindingId>): PatientTimeline {
  if (entered.size === 0) return timeline;
  const added: Diagnosis[] = CLINICIAN_FINDINGS.filter((f) => entered.has(f.id)).map((f) => ({
    kind: f.kind,
    basis: 'clinician',
    time: timeline.now,
    ...(timeline.dayNow !== undefined ? { day: timeline.dayNow } : {}),
    active: true,
    display: `${f.label} (clinician-entered)`,
    source: CLINICIAN_SOURCE,
  }));
  return { ...timeline, diagnoses: [...timeline.diagnoses, ...added] };
}
