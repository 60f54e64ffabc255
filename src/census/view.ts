/** The census as served: watched patients only, sorted by urgency, each with a link to its timeline. */
import { TIER_RANK } from './episodes.js';
import type { CensusEntry, PatientRecord } from './types.js';

export interface CensusRow extends CensusEntry {
  /** First cycle that saw the picture met in the open episode. */
  pictureSince?: string;
  /** Set when the latest evaluation failed; the row then shows the previous result. */
  stale?: string;
  timelineUrl: string;
}

export function timelineLink(timelineBaseUrl: string, patientId: string): string {
  return `${timelineBaseUrl}${timelineBaseUrl.includes('?') ? '&' : '?'}patient=${encodeURIComponent(patientId)}`;
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

export function censusRows(records: readonly PatientRecord[], timelineBaseUrl: string): CensusRow[] {
  return records
    .filter((r) => r.entry.watched)
    .map(
      (r): CensusRow => ({
        ...r.entry,
        ...(r.episode ? { pictureSince: r.episode.metAt } : {}),
        ...(r.lastError ? { stale: r.lastError } : {}),
        timelineUrl: timelineLink(timelineBaseUrl, r.entry.patientId),
      }),
    )
    .sort(compareUrgency);
}
