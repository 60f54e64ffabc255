/** Citation of every criteria set, as shown on cards (verified = the numbers applied were read in a source). */
import type { AssessmentId, GuidelineSource } from './types.js';

export const SOURCES: Readonly<Record<AssessmentId, GuidelineSource>> = {
  'astct-iec-hs': {
    label: 'ASTCT IEC-HS consensus (Hines 2023)',
    citation:
      'Hines MR, Knight TE, McNerney KO, et al. Immune Effector Cell-Associated Hemophagocytic Lymphohistiocytosis-Like Syndrome. Transplant Cell Ther. 2023;29(7):438.e1-438.e16. PMID 36906275.',
    url: 'https://doi.org/10.1016/j.jtct.2023.03.006',
    // Definition verified in secondary sources; the numeric thresholds are recalled (docs/clinical-basis.md#astct).
    verified: false,
  },
  carhlh: {
    label: 'CARTOX carHLH/MAS (Neelapu 2018)',
    citation: 'Neelapu SS, Tummala S, Kebriaei P, et al. Chimeric antigen receptor T-cell therapy - assessment and management of toxicities. Nat Rev Clin Oncol. 2018;15(1):47-62.',
    url: 'https://doi.org/10.1038/nrclinonc.2017.148',
    verified: true,
  },
  'hlh-lt': {
    label: 'PRWCC HLH-like toxicity (McNerney 2023)',
    citation: 'McNerney KO, et al. HLH-like toxicities predict poor survival after the use of tisagenlecleucel in children and young adults with B-ALL. Blood Adv. 2023;7(12):2758.',
    url: 'http://ashpublications.net/bloodadvances/article/7/12/2758/494746/HLH-like-toxicities-predict-poor-survival-after',
    verified: true,
  },
  hscore: {
    label: 'HScore (Fardet 2014)',
    citation: 'Fardet L, Galicier L, Lambotte O, et al. Development and validation of the HScore, a score for the diagnosis of reactive hemophagocytic syndrome. Arthritis Rheumatol. 2014;66(9):2613-2620.',
    url: 'https://doi.org/10.1002/art.38690',
    verified: true,
  },
  'hlh-2004': {
    label: 'HLH-2004 (Henter 2007)',
    citation: 'Henter JI, Horne A, Arico M, et al. HLH-2004: Diagnostic and therapeutic guidelines for hemophagocytic lymphohistiocytosis. Pediatr Blood Cancer. 2007;48(2):124-131.',
    url: 'https://doi.org/10.1002/pbc.21039',
    verified: true,
  },
  ohi: {
    label: 'Optimized HLH Inflammatory index (Zoref-Lorenz 2022)',
    citation: 'Zoref-Lorenz A, Murakami J, Hofstetter L, et al. An improved index for diagnosis and mortality prediction in malignancy-associated hemophagocytic lymphohistiocytosis. Blood. 2022;139(7):1098-1110.',
    url: 'https://doi.org/10.1182/blood.2021012764',
    verified: true,
  },
};
