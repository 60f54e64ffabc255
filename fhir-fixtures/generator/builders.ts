/**
 * FHIR R4 resources shaped like US Core (Patient, laboratory and vital-sign Observations, Conditions,
 * Procedure) plus MedicationAdministration, from the compact scenario description. Pure functions:
 * same input, same output, no clock and no randomness.
 */
import type {
  CodeableConcept,
  DiagnosticReport,
  Coding,
  Condition,
  MedicationAdministration,
  MedicationRequest,
  Observation,
  Patient,
  Procedure,
  Quantity,
  ServiceRequest,
} from 'fhir/r4';
import { dayTag, type ScenarioClock } from './clock.js';
import {
  CAR_T_CPT,
  CAR_T_SNOMED,
  DRUGS,
  EPIC_LOCAL,
  EPIC_SECTION,
  LAB_ORDER_CATEGORY,
  LABS,
  PRODUCTS,
  ROUTES,
  SYSTEM,
  type DrugKey,
  type LabKey,
} from './codes.js';
import type { DiagnosisSpec, InfusionSpec, LabSpec, MedSpec, Point, PointOptions, ReportSpec } from './model.js';
import { printedRange, type Range, type RangeProfile } from './ranges.js';

/** Blood draws: the day-0 baseline before the 10:00Z infusion, every other day at 11:00Z. */
const INFUSION_HOUR = 10;
const BASELINE_DRAW_HOUR = 6;
const DRAW_HOUR = 11;
const ISSUED_AFTER_HOURS = 2;
const TEMPERATURE_HOUR = 12;
const MED_HOUR = 16;
const CONDITION_HOUR = 18;

export interface BuildContext {
  patientId: string;
  clock: ScenarioClock;
  sex: 'male' | 'female';
  rangeProfile: RangeProfile;
}

const subject = (ctx: BuildContext) => ({ reference: `Patient/${ctx.patientId}` });

export function patient(
  ctx: BuildContext,
  spec: { given: string; family: string; gender: 'male' | 'female'; birthDate: string },
  mrn: string,
): Patient {
  return {
    resourceType: 'Patient',
    id: ctx.patientId,
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: SYSTEM.identifierType, code: 'MR', display: 'Medical record number' }] },
        system: SYSTEM.mrn,
        value: mrn,
      },
    ],
    name: [{ use: 'official', family: spec.family, given: [spec.given] }],
    gender: spec.gender,
    birthDate: spec.birthDate,
  };
}

function productConcept(infusion: InfusionSpec): CodeableConcept {
  const product = PRODUCTS[infusion.product];
  const coding: Coding[] = [];
  if ('rxnorm' in product) coding.push({ system: SYSTEM.rxnorm, code: product.rxnorm });
  if ('hcpcs' in product) coding.push({ system: SYSTEM.hcpcs, code: product.hcpcs });
  const brand = 'brand' in product ? ` (${product.brand})` : '';
  return { ...(coding.length ? { coding } : {}), text: `${product.generic}${brand}` };
}

export function infusionProcedure(ctx: BuildContext, infusion: InfusionSpec): Procedure {
  const product = PRODUCTS[infusion.product];
  return {
    resourceType: 'Procedure',
    id: `${ctx.patientId}-proc-cart-${dayTag(infusion.day)}`,
    status: 'completed',
    code: { coding: [CAR_T_CPT, CAR_T_SNOMED, product.pcs], text: `CAR-T cell infusion: ${productConcept(infusion).text}` },
    subject: subject(ctx),
    performedDateTime: ctx.clock.at(infusion.day, INFUSION_HOUR, 'infusion'),
  };
}

export function infusionAdministration(ctx: BuildContext, infusion: InfusionSpec): MedicationAdministration {
  return {
    resourceType: 'MedicationAdministration',
    id: `${ctx.patientId}-medadmin-cart-${dayTag(infusion.day)}`,
    status: 'completed',
    medicationCodeableConcept: productConcept(infusion),
    subject: subject(ctx),
    effectiveDateTime: ctx.clock.at(infusion.day, INFUSION_HOUR, 'infusion'),
    dosage: { text: 'Single intravenous infusion of the full dose', route: { coding: [ROUTES.iv] } },
  };
}

export function condition(ctx: BuildContext, spec: DiagnosisSpec): Condition {
  const { abatementDay } = spec;
  const resolved = abatementDay !== undefined;
  const onset = ctx.clock.at(spec.onsetDay, CONDITION_HOUR, `condition ${spec.name} onset`);
  return {
    resourceType: 'Condition',
    id: `${ctx.patientId}-cond-${spec.name}`,
    clinicalStatus: { coding: [{ system: SYSTEM.conditionClinical, code: resolved ? 'resolved' : 'active' }] },
    verificationStatus: { coding: [{ system: SYSTEM.conditionVerification, code: 'confirmed' }] },
    category: [{ coding: [{ system: SYSTEM.conditionCategory, code: spec.category ?? 'encounter-diagnosis' }] }],
    code: { coding: [...spec.codes], text: spec.text },
    subject: subject(ctx),
    onsetDateTime: onset,
    ...(resolved ? { abatementDateTime: ctx.clock.at(abatementDay, CONDITION_HOUR, `condition ${spec.name} abatement`) } : {}),
    recordedDate: onset,
  };
}

function quantity(value: number, ucum: string, unit: string): Quantity {
  return { value, unit, system: SYSTEM.ucum, code: ucum };
}

/** A value whose unit the lab wrote as text (code only when it is UCUM). */
function textQuantity(value: number, unit: { code?: string; text: string }): Quantity {
  return { value, unit: unit.text, ...(unit.code ? { system: SYSTEM.ucum, code: unit.code } : {}) };
}

const REPORT_HOUR = 15;
const REPORT_DISPLAY: Readonly<Record<string, string>> = {
  '48807-2': 'Bone marrow aspiration report',
  '33721-2': 'Bone marrow Pathology biopsy report',
  '11526-1': 'Pathology study',
};

/** A marrow / pathology result: a DiagnosticReport (conclusion or presentedForm) or a narrative Observation. */
export function pathologyResult(ctx: BuildContext, spec: ReportSpec): DiagnosticReport | Observation {
  const loinc = spec.loinc ?? '48807-2';
  const code: CodeableConcept = { coding: [{ system: SYSTEM.loinc, code: loinc, display: REPORT_DISPLAY[loinc] ?? loinc }], text: REPORT_DISPLAY[loinc] ?? loinc };
  const when = ctx.clock.at(spec.day, REPORT_HOUR, `report ${spec.name}`);
  const issued = ctx.clock.at(spec.day, REPORT_HOUR + 2, `report ${spec.name} issued`);
  if (spec.as === 'observation') {
    return {
      resourceType: 'Observation',
      id: `${ctx.patientId}-obs-path-${spec.name}`,
      status: 'final',
      category: [{ coding: [{ system: SYSTEM.obsCategory, code: 'laboratory', display: 'Laboratory' }] }],
      code,
      subject: subject(ctx),
      effectiveDateTime: when,
      issued,
      valueString: spec.text,
    };
  }
  return {
    resourceType: 'DiagnosticReport',
    id: `${ctx.patientId}-dr-${spec.name}`,
    status: 'final',
    category: [{ coding: [{ system: SYSTEM.snomed, code: '721631001', display: 'Bone marrow pathology biopsy report' }] }],
    code,
    subject: subject(ctx),
    effectiveDateTime: when,
    issued,
    ...(spec.as === 'report-conclusion'
      ? { conclusion: spec.text }
      : { presentedForm: [{ contentType: 'text/plain', language: 'en', data: Buffer.from(spec.text, 'utf8').toString('base64'), title: 'Final report' }] }),
  };
}

function interpretation(value: number, range: Range | undefined): CodeableConcept[] | undefined {
  if (!range) return undefined;
  const code = range.low !== undefined && value < range.low ? 'L' : range.high !== undefined && value > range.high ? 'H' : 'N';
  const display = { L: 'Low', H: 'High', N: 'Normal' }[code];
  return [{ coding: [{ system: SYSTEM.interpretation, code, display }] }];
}

function labCode(key: LabKey, epicLocal: boolean): CodeableConcept {
  const def = LABS[key];
  const local = EPIC_LOCAL[key];
  if (epicLocal && local) {
    return { coding: [{ system: SYSTEM.epicLab, code: local.code, display: local.display }, def.coding], text: local.display };
  }
  return { coding: [def.coding], text: def.text };
}

function categories(key: LabKey, epicLocal: boolean): CodeableConcept[] {
  const def = LABS[key];
  const base: CodeableConcept = {
    coding: [{ system: SYSTEM.obsCategory, code: def.category, display: def.category === 'laboratory' ? 'Laboratory' : 'Vital Signs' }],
  };
  const section = epicLocal ? EPIC_SECTION[key] : undefined;
  return section ? [base, { coding: [section] }] : [base];
}

/** One Observation per point of a lab (or temperature) series; ids carry the day (and -2, -3 for repeats). */
export function labSeries(ctx: BuildContext, spec: LabSpec): Observation[] {
  const def = LABS[spec.lab];
  const range = spec.range === 'none' ? undefined : (spec.range ?? printedRange(spec.lab, ctx.rangeProfile, ctx.sex));
  const epic = spec.epicLocal ?? false;
  const seen = new Map<number, number>();
  return spec.points.map((point: Point) => {
    const [day, value] = point;
    const options: PointOptions = point[2] ?? {};
    const repeat = (seen.get(day) ?? 0) + 1;
    seen.set(day, repeat);
    const defaultHour = def.category === 'vital-signs' ? TEMPERATURE_HOUR : day === 0 ? BASELINE_DRAW_HOUR : DRAW_HOUR;
    const hour = options.hour ?? defaultHour;
    const id = `${ctx.patientId}-obs-${def.idName}-${dayTag(day)}${repeat > 1 ? `-${repeat}` : ''}`;
    const observation: Observation = {
      resourceType: 'Observation',
      id,
      status: options.status ?? 'final',
      category: categories(spec.lab, epic),
      code: labCode(spec.lab, epic),
      subject: subject(ctx),
      effectiveDateTime: ctx.clock.at(day, hour, id),
      issued: ctx.clock.at(day, hour + (options.issuedAfterHours ?? ISSUED_AFTER_HOURS), `${id} issued`),
      valueQuantity: spec.unit ? textQuantity(value, spec.unit) : quantity(value, def.ucum, def.unit),
    };
    const flags = def.category === 'laboratory' ? interpretation(value, range) : undefined;
    if (flags) observation.interpretation = flags;
    if (options.note) observation.note = [{ text: options.note }];
    if (range && def.category === 'laboratory') {
      observation.referenceRange = [
        {
          ...(range.low !== undefined ? { low: spec.unit ? textQuantity(range.low, spec.unit) : quantity(range.low, def.ucum, def.unit) } : {}),
          ...(range.high !== undefined ? { high: spec.unit ? textQuantity(range.high, spec.unit) : quantity(range.high, def.ucum, def.unit) } : {}),
        },
      ];
    }
    return observation;
  });
}

function drugConcept(drug: DrugKey): CodeableConcept {
  const { rxnorm, name } = DRUGS[drug];
  return { coding: [{ system: SYSTEM.rxnorm, code: rxnorm, display: name }], text: name };
}

export function medAdministrations(ctx: BuildContext, spec: MedSpec): MedicationAdministration[] {
  return spec.days.map((day) => {
    const id = `${ctx.patientId}-medadmin-${spec.drug}-${dayTag(day)}`;
    return {
      resourceType: 'MedicationAdministration',
      id,
      status: 'completed',
      medicationCodeableConcept: drugConcept(spec.drug),
      subject: subject(ctx),
      effectiveDateTime: ctx.clock.at(day, spec.hour ?? MED_HOUR, id),
      dosage: { route: { coding: [ROUTES[spec.route]] }, dose: quantity(spec.doseMg, 'mg', 'mg') },
    };
  });
}

// ---- order-select draft orders ------------------------------------------------------------------

export function draftLabOrder(ctx: BuildContext, id: string, lab: LabKey, authoredOn: string): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id,
    status: 'draft',
    intent: 'order',
    category: [{ coding: [LAB_ORDER_CATEGORY] }],
    code: { coding: [LABS[lab].coding], text: LABS[lab].text },
    subject: subject(ctx),
    authoredOn,
  };
}

export function draftMedicationOrder(
  ctx: BuildContext,
  id: string,
  drug: DrugKey,
  dosage: string,
  route: 'iv' | 'sc',
  authoredOn: string,
): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: drugConcept(drug),
    subject: subject(ctx),
    authoredOn,
    dosageInstruction: [{ text: dosage, route: { coding: [ROUTES[route]] } }],
  };
}
