/** The one place codes and units live (docs/architecture.md). */
export {
  ANALYTES, ANALYTE_REGISTRY, THRESHOLD_UNIT_SPELLINGS, isAnalyte, type Analyte, type AnalyteInfo, type Sex,
} from './analytes.js';
export { DAY_MS, HOUR_MS } from './time.js';
export { SYSTEM, systemKeyOf, normalizeCode, codingsOf, type SystemKey } from './systems.js';
export { CodeIndex } from './codeIndex.js';
export {
  LAB_CODES, LAB_INDEX, LAB_LOINC, ALL_LAB_LOINC, WORKUP_PANEL,
  type LabCode, type LabVariant, type WorkupItem, type CodeStatus,
} from './loinc.js';
export { ANALYTE_UNITS, SHARED_UNIT_ALIASES, type AnalyteUnits, type UnitTarget } from './analyteUnits.js';
export { convertTo, convertNumber, conversionFailure, convertForAnalyte, CANONICAL_UNIT, roundSignificant, type Conversion } from './units.js';
export { defaultRange, type DefaultRange } from './referenceRanges.js';
export { matchCarTCoding, matchCarTConcept, matchCarTName, type CarTCode, type CarTProduct } from './carT.js';
export {
  matchDiagnosisCoding, matchDiagnosisConcept, mayCarryDiagnosis, isPathologyReport, mentionsHemophagocytosis, PATHOLOGY_REPORT_LOINC,
  type DiagnosisCode, type DiagnosisMatch,
} from './diagnoses.js';
export { matchTreatmentConcept, matchTreatmentName, TREATMENT_DRUGS, type TreatmentDrug } from './treatments.js';
export { matchEngagerCoding, matchEngagerConcept, matchEngagerName, T_CELL_ENGAGERS, type EngagerProduct } from './tCellEngagers.js';
export { mentionStatus, mentionStatuses, findingAffirmed, HEMOPHAGOCYTOSIS_FINDING, type FindingPattern, type MentionStatus } from './negation.js';
