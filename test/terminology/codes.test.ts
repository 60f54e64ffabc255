/** Code matching (docs/terminology.md). */
import {
  ALL_LAB_LOINC, LAB_INDEX, LAB_LOINC, WORKUP_PANEL, defaultRange, isPathologyReport, matchCarTConcept,
  matchDiagnosisCoding, matchDiagnosisConcept, matchTreatmentConcept, mentionsHemophagocytosis, systemKeyOf,
} from '../../src/terminology/index.js';

const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const SCT = 'http://snomed.info/sct';
const PCS = 'http://www.cms.gov/Medicare/Coding/ICD10';

describe('system URIs and variants (docs/terminology.md#systems)', () => {
  test.each([
    ['http://loinc.org', 'loinc'],
    ['urn:oid:2.16.840.1.113883.6.1', 'loinc'],
    ['https://loinc.org/', 'loinc'],
    ['http://www.cms.gov/Medicare/Coding/ICD10', 'icd10pcs'],
    ['http://terminology.hl7.org/CodeSystem/icd10PCS', 'icd10pcs'],
    ['urn:oid:2.16.840.1.113883.6.285', 'hcpcs'],
    ['https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', 'hcpcs'],
    ['http://hl7.org/fhir/sid/icd-10-cm', 'icd10cm'],
    ['urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.123', undefined],
    [undefined, undefined],
  ])('%s -> %s', (uri, key) => expect(systemKeyOf(uri)).toBe(key));
});

describe('lab codes (docs/terminology.md#lab-codes)', () => {
  test.each([
    ['§1.1 ferritin 2276-4', '2276-4', 'ferritin'],
    ['§1.1 ferritin 20567-4 (Mayo/ARUP)', '20567-4', 'ferritin'],
    ['§1.1 ferritin molar 14723-1', '14723-1', 'ferritin'],
    ['§1.1 ferritin goal 86914-9 excluded', '86914-9', undefined],
    ['§1.1 fibrinogen qualitative 16859-1 excluded', '16859-1', undefined],
    ['§1.1 IL-6 CSF 49919-4 excluded', '49919-4', undefined],
    ['§1.1 sIL-2R 76039-7', '76039-7', 'sil2r'],
    ['UNVERIFIED list 1: 76055-3 is not sIL-2R', '76055-3', undefined],
    ['§1.2 ANC manual 753-4', '753-4', 'anc'],
    ['§1.4 aPTT mixing 16631-4 excluded', '16631-4', undefined],
    ['§1.5 oral temperature 8331-1', '8331-1', 'temperature'],
  ])('%s', (_ref, code, analyte) => {
    expect(LAB_INDEX.match({ system: 'http://loinc.org', code })?.analyte).toBe(analyte);
  });

  test('a local (Epic) code with a LOINC-looking value does not match; LOINC needs its system', () => {
    expect(LAB_INDEX.match({ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.123', code: '2276-4' })).toBeUndefined();
    expect(LAB_INDEX.match({ code: '2276-4' })).toBeUndefined();
  });

  test('LAB_LOINC and ALL_LAB_LOINC agree, every code once', () => {
    const flat = Object.values(LAB_LOINC).flat();
    expect(new Set(ALL_LAB_LOINC)).toEqual(new Set(flat));
    expect(ALL_LAB_LOINC.length).toBe(new Set(ALL_LAB_LOINC).size);
    expect(LAB_LOINC.ferritin).toEqual(expect.arrayContaining(['2276-4', '20567-4', '24373-3', '14723-1']));
  });

  test('docs/architecture.md#contracts: WORKUP_PANEL holds ferritin 2276-4 and fibrinogen 3255-7', () => {
    const byAnalyte = Object.fromEntries(WORKUP_PANEL.map((w) => [w.analyte, w.loinc]));
    expect(byAnalyte.ferritin).toBe('2276-4');
    expect(byAnalyte.fibrinogen).toBe('3255-7');
    expect(byAnalyte.sil2r).toBe('76039-7');
    expect(WORKUP_PANEL.every((w) => w.system === 'http://loinc.org')).toBe(true);
  });
});

describe('diagnoses (docs/terminology.md#diagnoses, docs/terminology.md#icd-prefix)', () => {
  test.each([
    ['§3.1 D89.831 CRS grade 1', ICD, 'D89.831', 'crs', 1],
    ['§8 note 7: D89834 without dot', ICD, 'D89834', 'crs', 4],
    ['§3.1 D89.835 grade 5', ICD, 'D89.835', 'crs', 5],
    ['§3.1 D89.839 grade unspecified', ICD, 'D89.839', 'crs', undefined],
    ['§3.1 G92.03 ICANS grade 3', ICD, 'G92.03', 'icans', 3],
    ['§3.1 G92.00 ICANS grade unspecified', ICD, 'G92.00', 'icans', undefined],
    ['§3.1 G92.8 other toxic encephalopathy is not ICANS', ICD, 'G92.8', undefined, undefined],
    ['§3.1 T80.82XA', ICD, 'T80.82XA', 'iec-complication', undefined],
    ['§3.1 T8082XD without dot', ICD, 'T8082XD', 'iec-complication', undefined],
    ['§3.1 D76.1 HLH', ICD, 'D76.1', 'hlh', undefined],
    ['§8 note 7: D7610-style code', ICD, 'D7610', 'hlh', undefined],
    ['§3.1 D76.2 infection-associated', ICD, 'd76.2', 'hlh', undefined],
    ['§3.1 D76 alone is not HLH', ICD, 'D76', undefined, undefined],
    ['§3.2 SNOMED CRS', SCT, '710027002', 'crs', undefined],
    ['§3.2 SNOMED MAS', SCT, '430478003', 'mas', undefined],
    ['§3.2 SNOMED HLH', SCT, '234437005', 'hlh', undefined],
    ['ICD code under SNOMED system does not match', SCT, 'D89.831', undefined, undefined],
  ])('%s', (_ref, system, code, kind, grade) => {
    const m = matchDiagnosisCoding({ system, code });
    expect(m?.kind).toBe(kind);
    expect(m?.grade).toBe(grade);
  });

  test('several codings: SNOMED + graded ICD -> one CRS with the grade; CRS + HLH -> both', () => {
    const crs = matchDiagnosisConcept({ coding: [{ system: SCT, code: '710027002' }, { system: ICD, code: 'D89.832' }] });
    expect(crs).toEqual([expect.objectContaining({ kind: 'crs', grade: 2 })]);
    const both = matchDiagnosisConcept({ coding: [{ system: ICD, code: 'D89.833' }, { system: ICD, code: 'D76.1' }, { system: 'urn:local', code: 'X' }] });
    expect(both.map((m) => m.kind).sort()).toEqual(['crs', 'hlh']);
  });
});

describe('confounders: infection and relapse (docs/clinical-basis.md#astct; docs/terminology.md#underlying-disease)', () => {
  // Status column: what the code set claims. Infection codes are not in docs/terminology.md (UNVERIFIED);
  // the "in relapse" leaves C91.02 / C90.02 / C91.12 follow the §3.3 family rows (V2); C92.02 (AML) is not listed.
  test.each([
    ['A41.51 E. coli sepsis (leaf under the A41 prefix)', ICD, 'A41.51', 'infection', 'sepsis', 'UNVERIFIED'],
    ['§8 note 7: A4151 without dot', ICD, 'A4151', 'infection', 'sepsis', 'UNVERIFIED'],
    ['A41.9 sepsis, unspecified organism', ICD, 'A41.9', 'infection', 'sepsis', 'UNVERIFIED'],
    ['A40.0 streptococcal sepsis', ICD, 'A40.0', 'infection', 'sepsis', 'UNVERIFIED'],
    ['R65.20 severe sepsis', ICD, 'R65.20', 'infection', 'severe sepsis', 'UNVERIFIED'],
    ['R6521 septic shock without dot', ICD, 'R6521', 'infection', 'septic shock', 'UNVERIFIED'],
    ['R65.10 SIRS of non-infectious origin is not infection', ICD, 'R65.10', undefined, undefined, undefined],
    ['R78.81 bacteremia', ICD, 'R78.81', 'infection', 'bacteremia', 'UNVERIFIED'],
    ['R78.89 other blood findings is not bacteremia', ICD, 'R78.89', undefined, undefined, undefined],
    ['B37.7 candidal sepsis', ICD, 'b37.7', 'infection', 'candidemia', 'UNVERIFIED'],
    ['B37.0 oral candidiasis is not candidemia', ICD, 'B37.0', undefined, undefined, undefined],
    ['SNOMED 91302008 sepsis', SCT, '91302008', 'infection', 'sepsis', 'UNVERIFIED'],
    ['§3.3 C91.02 B-ALL in relapse', ICD, 'C91.02', 'relapse', 'ALL in relapse', 'V2'],
    ['§3.3 C9102 without dot', ICD, 'C9102', 'relapse', 'ALL in relapse', 'V2'],
    ['§3.3 C91.00 not having achieved remission is not relapse', ICD, 'C91.00', undefined, undefined, undefined],
    ['§3.3 C91.01 in remission is not relapse', ICD, 'C91.01', undefined, undefined, undefined],
    ['§3.3 C90.02 myeloma in relapse', ICD, 'C90.02', 'relapse', 'myeloma in relapse', 'V2'],
    ['§3.3 C90.01 myeloma in remission is not relapse', ICD, 'C90.01', undefined, undefined, undefined],
    ['§3.3 C91.12 CLL in relapse', ICD, 'C91.12', 'relapse', 'CLL in relapse', 'V2'],
    ['C92.02 AML in relapse (not in docs/terminology.md)', ICD, 'C92.02', 'relapse', 'AML in relapse', 'UNVERIFIED'],
    ['§3.3 C83.38 DLBCL has no relapse leaf', ICD, 'C83.38', undefined, undefined, undefined],
    ['ICD sepsis code under the SNOMED system does not match', SCT, 'A41.9', undefined, undefined, undefined],
  ])('%s', (_ref, system, code, kind, term, status) => {
    const m = matchDiagnosisCoding({ system, code });
    expect([m?.kind, m?.term, m?.status]).toEqual([kind, term, status]);
  });

  test('a Condition coded ICD-10-CM + SNOMED sepsis is one infection', () => {
    const m = matchDiagnosisConcept({ coding: [{ system: ICD, code: 'A41.51' }, { system: SCT, code: '91302008' }] });
    expect(m.map((x) => x.kind)).toEqual(['infection']);
  });
});

describe('CAR-T infusion codes (docs/terminology.md#car-t)', () => {
  test.each([
    ['§4.2 CPT 0540T administration', 'http://www.ama-assn.org/go/cpt', '0540T', 'administration', undefined],
    ['§4.2 CPT 38228 administration', 'http://www.ama-assn.org/go/cpt', '38228', 'administration', undefined],
    ['§4.2 CPT 38225 harvest is a process step', 'http://www.ama-assn.org/go/cpt', '38225', 'process', undefined],
    ['§4.2 PCS XW033H7 Yescarta', PCS, 'XW033H7', 'administration', 'Yescarta'],
    ['§4.2 PCS XW043A7 Carvykti', PCS, 'XW043A7', 'administration', 'Carvykti'],
    ['§4.2 PCS XW033C3 (pre-FY2022)', PCS, 'XW033C3', 'administration', undefined],
    ['§4.2 PCS XW23376 Breyanzi FY2021', PCS, 'XW23376', 'administration', 'Breyanzi'],
    ['§4.2 PCS XW033L7 lifileucel is not CAR-T', PCS, 'XW033L7', undefined, undefined],
    ['§4.2 SNOMED 1156961008', SCT, '1156961008', 'administration', undefined],
    ['§4.1 HCPCS Q2042 Kymriah', 'urn:oid:2.16.840.1.113883.6.285', 'Q2042', 'administration', 'Kymriah'],
    ['§4.1 RxNorm 2479140 Breyanzi', 'http://www.nlm.nih.gov/research/umls/rxnorm', '2479140', 'administration', 'Breyanzi'],
    ['§4.1 NDC package 71287-119-01 Yescarta', 'http://hl7.org/fhir/sid/ndc', '71287-119-01', 'administration', 'Yescarta'],
  ])('%s', (_ref, system, code, role, brand) => {
    const m = matchCarTConcept({ coding: [{ system, code }] });
    expect(m?.role).toBe(role);
    expect(m?.product?.brand).toBe(brand);
  });

  test('product names in text', () => {
    expect(matchCarTConcept({ text: 'tisagenlecleucel suspension' })?.product?.brand).toBe('Kymriah');
    expect(matchCarTConcept({ text: 'CARVYKTI IV' })?.product?.brand).toBe('Carvykti');
    expect(matchCarTConcept({ text: 'cyclophosphamide' })).toBeUndefined();
  });
});

describe('treatments (docs/terminology.md#treatments)', () => {
  test.each([
    ['§5 dexamethasone 3264', { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '3264' }] }, 'dexamethasone', 'corticosteroid'],
    ['§5 anakinra 72435', { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '72435' }] }, 'anakinra', 'anakinra'],
    ['§5 tocilizumab 612865', { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '612865' }] }, 'tocilizumab', 'il6-blockade'],
    ['§5 siltuximab 1535218', { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1535218' }] }, 'siltuximab', 'il6-blockade'],
    ['§5 SCD code unknown, display names the ingredient', { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '999999', display: 'methylprednisolone sodium succinate 125 MG Injection' }] }, 'methylprednisolone', 'corticosteroid'],
    ['§5 emapalumab by name (IN CUI unverified)', { text: 'Emapalumab-lzsg 50 mg' }, 'emapalumab', 'emapalumab'],
    ['§5 etoposide 4179', { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '4179' }] }, 'etoposide', 'etoposide'],
  ])('%s', (_ref, concept, drug, cls) => {
    const m = matchTreatmentConcept(concept);
    expect(m?.drug).toBe(drug);
    expect(m?.class).toBe(cls);
  });

  test('prednisolone is not prednisone; unrelated drugs do not match', () => {
    expect(matchTreatmentConcept({ text: 'prednisolone 5 mg' })).toBeUndefined();
    expect(matchTreatmentConcept({ text: 'acetaminophen' })).toBeUndefined();
  });
});

describe('default reference ranges (docs/clinical-basis.md#reference-ranges)', () => {
  test.each([
    ['ferritin M 24-336', 'ferritin', 'ng/mL', 'male', 24, 336],
    ['ferritin F 11-307', 'ferritin', 'ng/mL', 'female', 11, 307],
    ['ferritin sex unknown -> lower ULN', 'ferritin', 'ng/mL', 'unknown', 11, 307],
    ['fibrinogen 200-400 mg/dL', 'fibrinogen', 'mg/dL', 'male', 200, 400],
    ['hemoglobin M 13.5-17.5', 'hemoglobin', 'g/dL', 'male', 13.5, 17.5],
    ['hemoglobin F 12.0-15.5', 'hemoglobin', 'g/dL', 'female', 12, 15.5],
    ['triglycerides < 150 (no low)', 'triglycerides', 'mg/dL', 'other', undefined, 150],
    ['sIL-2R pg/mL (ARUP)', 'sil2r', 'pg/mL', 'female', 175.3, 858.2],
    ['sIL-2R U/mL (Immulite)', 'sil2r', 'U/mL', 'female', 137, 838],
  ] as const)('%s', (_ref, analyte, unit, sex, low, high) => {
    const r = defaultRange(analyte, unit, sex);
    expect(r?.low).toBe(low);
    expect(r?.high).toBe(high);
    expect(r?.source).toMatch(/docs\/clinical-basis\.md#reference-ranges/);
  });

  test('no default where docs/clinical-basis.md#reference-ranges gives none (WBC, aPTT, CRP)', () => {
    expect(defaultRange('wbc', '10*9/L', 'male')).toBeUndefined();
    expect(defaultRange('aptt', 's', 'male')).toBeUndefined();
    expect(defaultRange('crp', 'mg/L', 'male')).toBeUndefined();
  });
});

describe('pathology text heuristic (docs/clinical-basis.md#astct hemophagocytosis row)', () => {
  test.each([
    ['Hypercellular marrow with hemophagocytosis.', true],
    ['Haemophagocytosis present; no lymphoma.', true],
    ['No hemophagocytosis seen.', false],
    ['Negative for hemophagocytosis', false],
    ['Trilineage hematopoiesis.', false],
  ])('%s -> %s', (text, expected) => expect(mentionsHemophagocytosis(text)).toBe(expected));

  test('bone marrow report codes (docs/terminology.md#pathology-reports)', () => {
    expect(isPathologyReport({ coding: [{ system: 'http://loinc.org', code: '33721-2' }] })).toBe(true);
    expect(isPathologyReport({ coding: [{ system: 'http://loinc.org', code: '2276-4' }] })).toBe(false);
  });
});
