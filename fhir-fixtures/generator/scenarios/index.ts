/** Every scenario, in manifest order (the first four are the ones the demo and e2e tests lean on). */
import type { ScenarioSpec } from '../model.js';
import { classic, crsResolved, ferritinDue, nonCarT } from './core.js';
import { amended, enteredInError, epicCodes, noRefRange, siUnits } from './dataQuality.js';
import { sepsis, severe } from './severity.js';
import { CLINICAL_CLASS_SCENARIOS } from './clinicalClasses.js';
import { activeCrs, carHlhEarly, day150, myelomaLate, noCrs, pedsAll, twoInfusions, worsening } from './timing.js';

export const SCENARIOS: readonly ScenarioSpec[] = [
  classic,
  crsResolved,
  ferritinDue,
  nonCarT,
  worsening,
  carHlhEarly,
  noCrs,
  siUnits,
  noRefRange,
  epicCodes,
  enteredInError,
  amended,
  day150,
  pedsAll,
  myelomaLate,
  twoInfusions,
  sepsis,
  severe,
  activeCrs,
  ...CLINICAL_CLASS_SCENARIOS,
];
