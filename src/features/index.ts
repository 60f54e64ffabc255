/**
 * FHIR resources -> patient timeline. PLACEHOLDER signature owned by the clinical engine work (issue 4).
 */
import type { PatientData, PatientTimeline } from './types.js';

export interface TimelineOptions {
  /** Evaluation time, ISO 8601; the engine never reads the clock itself. */
  now: string;
}

export function buildTimeline(_data: PatientData, _options: TimelineOptions): PatientTimeline {
  throw new Error('not implemented yet');
}

export type * from './types.js';
