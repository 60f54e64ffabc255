/** Condition status readers shared by infusion, CRS and diagnosis extraction. */
import type { Condition } from 'fhir/r4';
import { firstCode, isObject } from './fhir.js';

const ACTIVE_CLINICAL = new Set(['active', 'recurrence', 'relapse']);

/** verificationStatus refuted / entered-in-error: the Condition says nothing about the patient. */
export function isRefutedOrErroneous(c: Condition): boolean {
  const v = firstCode(isObject(c.verificationStatus) ? c.verificationStatus : undefined);
  return v === 'refuted' || v === 'entered-in-error';
}

/**
 * Active = clinicalStatus active/recurrence/relapse and no abatement. A Condition without a
 * clinicalStatus (allowed only for entered-in-error, but seen) is active unless it has abated.
 */
export function isActiveCondition(c: Condition, abated: boolean): boolean {
  if (abated) return false;
  const status = firstCode(isObject(c.clinicalStatus) ? c.clinicalStatus : undefined);
  return status === undefined || ACTIVE_CLINICAL.has(status);
}

export function onsetOf(c: Condition): string | undefined {
  return c.onsetDateTime ?? (isObject(c.onsetPeriod) ? c.onsetPeriod.start : undefined);
}

export function abatementOf(c: Condition): string | undefined {
  if (typeof c.abatementDateTime === 'string') return c.abatementDateTime;
  if (isObject(c.abatementPeriod)) return c.abatementPeriod.end ?? c.abatementPeriod.start;
  return undefined;
}

/** Any abatement[x] (date, period, age, range, string) means abated. */
export function hasAbated(c: Condition): boolean {
  return (
    abatementOf(c) !== undefined ||
    typeof c.abatementString === 'string' ||
    isObject(c.abatementAge) ||
    isObject(c.abatementRange)
  );
}
