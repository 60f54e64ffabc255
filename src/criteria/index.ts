/**
 * Timeline -> every criteria set, side by side. PLACEHOLDER signature owned by the clinical engine work (issue 4).
 */
import type { PatientTimeline } from '../features/types.js';
import type { Evaluation } from './types.js';

export interface EvaluateOptions {
  /** Threshold overrides by threshold id (from configuration). */
  thresholds?: Record<string, number>;
}

export function evaluate(_timeline: PatientTimeline, _options: EvaluateOptions = {}): Evaluation {
  throw new Error('not implemented yet');
}

export type * from './types.js';
