/**
 * ONC HTI-1 source attributes for evidence-based decision support interventions
 * (45 CFR 170.315(b)(11)(iv)(A)(1)-(13)). The EHR developer must show them;
 * we supply honest values per service, for the discovery `extension` and for a page cards link to.
 */
import { PUBLICATIONS, fullCitation } from '../criteria/publications.js';
import { SOURCE_ATTRIBUTES_EXTENSION } from './namespace.js';

export interface SourceAttribute {
  /** (iv)(A) item number, 1-13. */
  item: number;
  /** Short machine key for the discovery extension. */
  key: string;
  label: string;
  /** For the "use of ..." items: whether the intervention uses the data element at all. */
  used?: boolean;
  value: string;
}

export interface ServiceSourceAttributes {
  serviceId: string;
  intervention: string;
  attributes: SourceAttribute[];
}

/** Every publication the engine applies, from the one citation table, ASTCT IEC-HS first. */
const SUPPORTING_CITATIONS = Object.values(PUBLICATIONS).map(fullCitation);

const notUsed = (item: number, key: string, label: string): SourceAttribute => ({
  item,
  key,
  label,
  used: false,
  value: 'Not used.',
});

function commonAttributes(): SourceAttribute[] {
  return [
    { item: 1, key: 'citation', label: 'Bibliographic citation', value: SUPPORTING_CITATIONS.join(' ') },
    {
      item: 2,
      key: 'developer',
      label: 'Developer of the intervention',
      value:
        'IEC-HS CDS Hooks service project (open source), translating the guidelines cited; not endorsed by ASTCT. ' +
        'Every card states whether its thresholds were approved by the deploying site or are unverified defaults.',
    },
    {
      item: 3,
      key: 'funding',
      label: 'Funding source of the technical implementation',
      value: 'No external funding declared by the project; the deploying organisation should state its own.',
    },
    {
      item: 4,
      key: 'releaseDate',
      label: 'Release and revision dates',
      value: 'Release 0.1.0 (2026-11). Reference source: Hines et al., e-published 2023-03-09.',
    },
    notUsed(5, 'usesRace', 'Use of race'),
    notUsed(6, 'usesEthnicity', 'Use of ethnicity'),
    notUsed(7, 'usesLanguage', 'Use of language'),
    notUsed(8, 'usesSexualOrientation', 'Use of sexual orientation'),
    notUsed(9, 'usesGenderIdentity', 'Use of gender identity'),
    {
      item: 10,
      key: 'usesSex',
      label: 'Use of sex',
      used: true,
      value:
        'Used: administrative sex (Patient.gender) selects the default, sex-specific reference range (e.g. ferritin) ' +
        "only when a lab result carries no reference range of its own. No criterion uses sex otherwise.",
    },
    {
      item: 11,
      key: 'usesDateOfBirth',
      label: 'Use of date of birth',
      used: false,
      value:
        'Not an input to any criterion. Default reference ranges (applied only when a result has none of its own) ' +
        'are adult ranges, so such results are judged against adult limits in children too.',
    },
    notUsed(12, 'usesSocialDeterminants', 'Use of social determinants of health data'),
    notUsed(13, 'usesHealthStatusAssessments', 'Use of health status assessments data'),
  ];
}

export const SOURCE_ATTRIBUTES: Record<string, ServiceSourceAttributes> = {
  'iec-hs-surveillance': {
    serviceId: 'iec-hs-surveillance',
    intervention:
      'Surveillance for IEC-HS after immune effector cell therapy: criteria sets side by side, workup suggestions ' +
      '(draft lab orders) and treatment considerations as text.',
    attributes: commonAttributes(),
  },
  'iec-hs-order-select': {
    serviceId: 'iec-hs-order-select',
    intervention:
      'Guidance while ordering for a patient after immune effector cell therapy: completes the IEC-HS lab panel and ' +
      'warns when IL-6 blockade alone is ordered for an IEC-HS picture.',
    attributes: commonAttributes(),
  },
};

export function sourceAttributesFor(serviceId: string): ServiceSourceAttributes | undefined {
  return SOURCE_ATTRIBUTES[serviceId];
}

/** The discovery `extension` member for one service: `{ [key]: { citation, developer, ..., usesSex: true } }`. */
export function sourceAttributesExtension(serviceId: string): Record<string, unknown> | undefined {
  const entry = sourceAttributesFor(serviceId);
  if (!entry) return undefined;
  const values: Record<string, string | boolean> = { intervention: entry.intervention };
  for (const attribute of entry.attributes) values[attribute.key] = attribute.used ?? attribute.value;
  return { [SOURCE_ATTRIBUTES_EXTENSION]: values };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** A self-contained HTML page listing the 13 attributes (for `GET /cds-services/{id}/source-attributes`). */
export function renderSourceAttributesHtml(entry: ServiceSourceAttributes): string {
  const rows = entry.attributes
    .map((a) => `<tr><td>${a.item}</td><td>${escapeHtml(a.label)}</td><td>${escapeHtml(a.value)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Source attributes: ${escapeHtml(entry.serviceId)}</title></head>
<body>
<h1>Source attributes (ONC HTI-1, 45 CFR 170.315(b)(11)(iv)(A))</h1>
<p><strong>${escapeHtml(entry.serviceId)}</strong>: ${escapeHtml(entry.intervention)}</p>
<table border="1" cellpadding="4">
<thead><tr><th>#</th><th>Attribute</th><th>Value</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
