/**
 * The clinical text cards show: guideline citation and the management consideration. Text only, with
 * its source; never a pre-filled medication order, never a dose (doses are unverified). Wording follows
 * reference/clinical-verification.md §3.5 (IL-6 wording corrected; first-line ordering unsettled).
 */
import type { TreatmentState } from '../criteria/types.js';
import { bulletList } from './markdown.js';

export const GUIDELINE = {
  label: 'ASTCT IEC-HS consensus (Hines et al. 2023)',
  citation:
    'Hines MR, Knight TE, McNerney KO, et al. Immune Effector Cell-Associated Hemophagocytic Lymphohistiocytosis-Like Syndrome. Transplant Cell Ther. 2023;29(7):438.e1-438.e16. PMID 36906275. doi:10.1016/j.jtct.2023.03.006.',
  url: 'https://doi.org/10.1016/j.jtct.2023.03.006',
} as const;

/** Real-world treatment use in myeloma IEC-HS (ASH 2025 abstract, Blood 2025;146(Suppl 1):719). */
const REAL_WORLD_SOURCE = 'real-world myeloma IEC-HS cohort, Blood 2025;146(Suppl 1):719';

const TIMING_CONTEXT =
  'IEC-HS typically starts as CRS resolves or when inflammation worsens again after improvement ' +
  '(median onset day 9.5-12, range 2-37, about 4 days after the CRS peak); new CRS after day 14 is rare.';

export function timingContext(): string {
  return TIMING_CONTEXT;
}

/** The first bullet, by what is already running (no doses, no orders). */
function firstLine(state?: TreatmentState): string {
  if (state?.refractoryTherapy) return '**Refractory therapy already given or ordered** (ruxolitinib, emapalumab or etoposide): review response with the cellular therapy team.';
  if (state?.anakinra) return '**Already on anakinra:** if not improving, consider refractory options (ruxolitinib or emapalumab).';
  if (state?.corticosteroid) return '**Corticosteroids already given:** consider escalating them and adding anakinra.';
  return '**Corticosteroids are the cornerstone, with anakinra**, first line.';
}

/** Management to consider, as markdown bullets, by treatment state. No doses, no orders (doses are unverified). */
export function managementMarkdown(state?: TreatmentState): string {
  return [
    bulletList([
      firstLine(state),
      ...(state?.anakinra || state?.refractoryTherapy ? [] : ['**Refractory disease:** ruxolitinib or emapalumab.']),
      '**IL-6 blockade alone is not IEC-HS-directed therapy**; it may still be given for overlapping CRS.',
      '**Evaluate for infection and disease progression**, which can mimic or drive the picture.',
      'Supportive care such as fibrinogen replacement and blood products (UNVERIFIED as guideline advice).',
    ]),
    'Ordering, sequencing and doses are UNVERIFIED (the guideline tables were not read in full) and are not given here. ' +
      `Real-world use: corticosteroids 94%, anakinra 76%, ruxolitinib 16%, emapalumab 13% of treated patients (${REAL_WORLD_SOURCE}). ` +
      'Discuss with the cellular therapy team; nothing here is an order.',
  ].join('\n\n');
}

/** First-line alternatives named on the IL-6 order-select warning. */
export function firstLineAlternatives(): string {
  return 'Corticosteroids are the cornerstone of IEC-HS treatment, with anakinra, first line (UNVERIFIED ordering, no doses given).';
}
