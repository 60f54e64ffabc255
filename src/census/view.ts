/**
 * The census as served: watched patients only, sorted by urgency, each with a link to its timeline:
 * the demo's timeline page, or elsewhere the SMART app (/app/launch.html) in a standalone launch
 * against the FHIR server the census watches, so the app reads the patient with the user's own token.
 */
import { TIER_RANK } from './episodes.js';
import type { CensusEntry, PatientRecord } from './types.js';

export interface CensusRow extends CensusEntry {
  /** First cycle that saw the picture met in the open episode. */
  pictureSince?: string;
  /** Set when the latest evaluation failed; the row then shows the previous result. */
  stale?: string;
  timelineUrl: string;
}

/** Where a row links: a timeline page taking `?patient=`, or the SMART app's launch URL for an EHR. */
export type PatientLinkTarget = { kind: 'timeline'; baseUrl: string } | { kind: 'smart-app'; launchUrl: string; iss: string };

export function timelineLink(timelineBaseUrl: string, patientId: string): string {
  return `${timelineBaseUrl}${timelineBaseUrl.includes('?') ? '&' : '?'}patient=${encodeURIComponent(patientId)}`;
}

/**
 * Outside demo a row starts a standalone launch of the SMART app against the census's FHIR server,
 * naming the patient in the fragment (`#patient=`), which browsers never send to a server, so the id
 * stays out of access logs; the app then asks for user-level scopes (src/app/requestedPatient.ts).
 */
export function patientLink(target: PatientLinkTarget, patientId: string): string {
  if (target.kind === 'timeline') return timelineLink(target.baseUrl, patientId);
  return `${target.launchUrl}?iss=${encodeURIComponent(target.iss)}#patient=${encodeURIComponent(patientId)}`;
}

/** Highest tier first, then more labs due, then the most recently met picture, then id (stable). */
export function compareUrgency(a: CensusRow, b: CensusRow): number {
  return (
    TIER_RANK[b.tier] - TIER_RANK[a.tier] ||
    b.labsDue.length - a.labsDue.length ||
    (b.pictureSince ?? '').localeCompare(a.pictureSince ?? '') ||
    a.patientId.localeCompare(b.patientId)
  );
}

export function censusRows(records: readonly PatientRecord[], link: PatientLinkTarget): CensusRow[] {
  return records
    .filter((r) => r.entry.watched)
    .map(
      (r): CensusRow => ({
        ...r.entry,
        ...(r.episode ? { pictureSince: r.episode.metAt } : {}),
        ...(r.lastError ? { stale: r.lastError } : {}),
        timelineUrl: patientLink(link, r.entry.patientId),
      }),
    )
    .sort(compareUrgency);
}
