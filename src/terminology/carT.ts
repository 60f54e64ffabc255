/**
 * How a CAR-T (immune effector cell) infusion shows up in FHIR (docs/terminology.md#car-t): procedure codes
 * (CPT, ICD-10-PCS, SNOMED), product codes (HCPCS Q-codes, RxNorm clinical-drug CUIs, NDC
 * labeler-product) and product names.
 */
import type { CodeableConcept, Coding } from 'fhir/r4';
import { CodeIndex } from './codeIndex.js';
import { codingsOf, normalizeCode, SYSTEM, systemKeyOf } from './systems.js';

export interface CarTProduct {
  brand: string;
  generic: string;
}

const P = {
  yescarta: { brand: 'Yescarta', generic: 'axicabtagene ciloleucel' },
  kymriah: { brand: 'Kymriah', generic: 'tisagenlecleucel' },
  tecartus: { brand: 'Tecartus', generic: 'brexucabtagene autoleucel' },
  breyanzi: { brand: 'Breyanzi', generic: 'lisocabtagene maraleucel' },
  abecma: { brand: 'Abecma', generic: 'idecabtagene vicleucel' },
  carvykti: { brand: 'Carvykti', generic: 'ciltacabtagene autoleucel' },
  aucatzyl: { brand: 'Aucatzyl', generic: 'obecabtagene autoleucel' },
} as const satisfies Record<string, CarTProduct>;

/**
 * `administration`: the code records the cells being given, so its date is day 0.
 * `process`: harvest / transport / preparation steps (CPT 0537T-0539T, 38225-38227) happen days to
 * weeks before the infusion; they prove CAR-T therapy but never set day 0.
 */
export interface CarTCode {
  role: 'administration' | 'process';
  display: string;
  product?: CarTProduct;
}

type Row = readonly [Parameters<CodeIndex<CarTCode>['get']>[0], string, CarTCode];

const ROWS: readonly Row[] = [
  // §4.2 CPT: Cat III 0537T-0540T until 2024-12-31, Cat I 38225-38228 from 2025-01-01.
  ['cpt', '0537T', { role: 'process', display: 'CAR-T harvesting of T lymphocytes' }],
  ['cpt', '0538T', { role: 'process', display: 'CAR-T preparation of T lymphocytes for transportation' }],
  ['cpt', '0539T', { role: 'process', display: 'CAR-T receipt and preparation for administration' }],
  ['cpt', '0540T', { role: 'administration', display: 'CAR-T cell administration, autologous' }],
  ['cpt', '38225', { role: 'process', display: 'CAR-T harvesting of T lymphocytes' }],
  ['cpt', '38226', { role: 'process', display: 'CAR-T preparation of T lymphocytes for transportation' }],
  ['cpt', '38227', { role: 'process', display: 'CAR-T receipt and preparation for administration' }],
  ['cpt', '38228', { role: 'administration', display: 'CAR-T cell administration, autologous' }],
  ['snomed', '1156961008', { role: 'administration', display: 'Chimeric antigen receptor T-cell immunotherapy' }],
  // §4.1 HCPCS product Q-codes (Q2041 UNVERIFIED).
  ['hcpcs', 'Q2041', { role: 'administration', display: 'Yescarta (HCPCS, UNVERIFIED code)', product: P.yescarta }],
  ['hcpcs', 'Q2042', { role: 'administration', display: 'Kymriah', product: P.kymriah }],
  ['hcpcs', 'Q2053', { role: 'administration', display: 'Tecartus', product: P.tecartus }],
  ['hcpcs', 'Q2054', { role: 'administration', display: 'Breyanzi', product: P.breyanzi }],
  ['hcpcs', 'Q2055', { role: 'administration', display: 'Abecma', product: P.abecma }],
  ['hcpcs', 'Q2056', { role: 'administration', display: 'Carvykti', product: P.carvykti }],
  // §4.1 RxNorm CUIs linked to the product NDCs in openFDA (SCD/SBD level, not ingredients).
  ...(
    [
      ['1987402', P.yescarta], ['1987407', P.yescarta],
      ['2387347', P.tecartus], ['2387352', P.tecartus], ['2572002', P.tecartus], ['2572005', P.tecartus],
      ['2479140', P.breyanzi], ['2479145', P.breyanzi],
      ['2594780', P.carvykti],
      ['2700168', P.aucatzyl], ['2700173', P.aucatzyl], ['2700174', P.aucatzyl], ['2700175', P.aucatzyl],
    ] as const
  ).map(([cui, product]): Row => ['rxnorm', cui, { role: 'administration', display: product.brand, product }]),
  // §4.1 NDC labeler-product (package codes are matched on their first two segments).
  ...(
    [
      ['71287-119', P.yescarta], ['0078-0846', P.kymriah], ['71287-219', P.tecartus], ['73153-900', P.breyanzi],
      ['59572-515', P.abecma], ['57894-111', P.carvykti], ['83047-410', P.aucatzyl],
    ] as const
  ).map(([ndc, product]): Row => ['ndc', ndc, { role: 'administration', display: product.brand, product }]),
];

const INDEX = new CodeIndex<CarTCode>(ROWS);

/**
 * ICD-10-PCS (§4.2): XW0[34]3[CGHJKMNA]7 (FY2022+, product by 6th character), XW0[34]3C3 (before
 * FY2022) and XW2[34]3[47]6 (FY2021 Tecartus/Breyanzi). L7 (lifileucel, a TIL product) is not CAR-T.
 */
const PCS_PATTERN = /^XW(?:0[34]3([CGHJKMNA])7|0[34]3C3|2[34]3([47])6)$/;
const PCS_PRODUCT: Readonly<Record<string, CarTProduct>> = {
  H: P.yescarta, J: P.kymriah, K: P.abecma, M: P.tecartus, N: P.breyanzi, A: P.carvykti, '4': P.tecartus, '7': P.breyanzi,
};

/** Brand and generic names (lower case), for Medication text when no code matches. */
const NAME_PATTERN = new RegExp(
  `\\b(${Object.values(P).flatMap((p) => [p.brand.toLowerCase(), p.generic.split(' ')[0]]).join('|')})\\b`,
  'i',
);
const PRODUCT_BY_NAME = new Map<string, CarTProduct>(
  Object.values(P).flatMap((p) => [[p.brand.toLowerCase(), p] as const, [p.generic.split(' ')[0] ?? p.generic, p] as const]),
);

/** The CAR-T meaning of one Coding, if it has one. */
export function matchCarTCoding(coding: Coding): CarTCode | undefined {
  if (typeof coding.code !== 'string') return undefined;
  const key = systemKeyOf(coding.system);
  if (key === 'icd10pcs') {
    const m = PCS_PATTERN.exec(normalizeCode(key, coding.code));
    if (!m) return undefined;
    const product = PCS_PRODUCT[m[1] ?? m[2] ?? ''];
    return { role: 'administration', display: coding.display ?? 'CAR-T cell infusion (ICD-10-PCS)', ...(product && { product }) };
  }
  if (key === 'ndc') {
    const parts = coding.code.trim().split('-');
    return parts.length >= 2 ? INDEX.get('ndc', `${parts[0]}-${parts[1]}`) : undefined;
  }
  return INDEX.match(coding);
}

/** The CAR-T meaning of a concept: its codings first, then product names in its text/displays. */
export function matchCarTConcept(concept: CodeableConcept | undefined): CarTCode | undefined {
  if (!concept) return undefined;
  let process: CarTCode | undefined;
  for (const coding of codingsOf(concept)) {
    const hit = coding ? matchCarTCoding(coding) : undefined;
    if (hit?.role === 'administration') return hit;
    process ??= hit;
  }
  return process ?? matchCarTName(concept.text ?? codingsOf(concept)[0]?.display);
}

/** A product named in free text (e.g. Medication.code.text "Yescarta suspension for IV infusion"). */
export function matchCarTName(text: string | undefined): CarTCode | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  const m = NAME_PATTERN.exec(text);
  const product = m?.[1] === undefined ? undefined : PRODUCT_BY_NAME.get(m[1].toLowerCase());
  return product ? { role: 'administration', display: product.brand, product } : undefined;
}

/**
 * `system|code` tokens of every CAR-T administration code, for FHIR searches that find treated patients
 * (the census). ICD-10-PCS is expanded from its pattern; NDC is left out (package codes vary in their
 * last segment, so a token search cannot match the labeler-product prefix).
 */
export function carTAdministrationSearchTokens(): string[] {
  const tokens = ROWS.filter(([system, , entry]) => entry.role === 'administration' && system !== 'ndc').map(([system, code]) => `${SYSTEM[system]}|${code}`);
  const pcs = [
    ...['3', '4'].flatMap((r) => [...'CGHJKMNA'].map((p) => `XW0${r}3${p}7`)),
    'XW033C3',
    'XW043C3',
    ...['3', '4'].flatMap((r) => ['4', '7'].map((p) => `XW2${r}3${p}6`)),
  ];
  return [...tokens, ...[...new Set(pcs)].map((code) => `${SYSTEM.icd10pcs}|${code}`)];
}
