/**
 * THE citation table: every publication the engine applies, with its DOI where one was read. Criteria
 * sets (sources.ts), cards (the guideline link and source) and the HTI-1 source attributes all read it;
 * docs/clinical-basis.md gives each one a section (`doc`), and test/docs/citations.test.ts keeps the
 * two in step.
 */

export interface Publication {
  /** Full reference without the DOI. */
  citation: string;
  /** DOI as read in the publication; absent when it was not read (never guessed). */
  doi?: string;
  /** Where to read it: https://doi.org/<doi>, else the publisher's page; absent when none was read. */
  url?: string;
  /** Section of docs/clinical-basis.md that says what is used from it and what is verified. */
  doc: string;
}

const doiUrl = (doi: string): string => `https://doi.org/${doi}`;

export const PUBLICATIONS = {
  hines2023: {
    citation:
      'Hines MR, Knight TE, McNerney KO, et al. Immune Effector Cell-Associated Hemophagocytic Lymphohistiocytosis-Like Syndrome. Transplant Cell Ther. 2023;29(7):438.e1-438.e16. PMID 36906275.',
    doi: '10.1016/j.jtct.2023.03.006',
    url: doiUrl('10.1016/j.jtct.2023.03.006'),
    doc: 'docs/clinical-basis.md#astct',
  },
  neelapu2018: {
    citation: 'Neelapu SS, Tummala S, Kebriaei P, et al. Chimeric antigen receptor T-cell therapy - assessment and management of toxicities. Nat Rev Clin Oncol. 2018;15(1):47-62.',
    doi: '10.1038/nrclinonc.2017.148',
    url: doiUrl('10.1038/nrclinonc.2017.148'),
    doc: 'docs/clinical-basis.md#carhlh',
  },
  mcnerney2023: {
    citation: 'McNerney KO, et al. HLH-like toxicities predict poor survival after the use of tisagenlecleucel in children and young adults with B-ALL. Blood Adv. 2023;7(12):2758.',
    url: 'http://ashpublications.net/bloodadvances/article/7/12/2758/494746/HLH-like-toxicities-predict-poor-survival-after',
    doc: 'docs/clinical-basis.md#hlh-lt',
  },
  fardet2014: {
    citation: 'Fardet L, Galicier L, Lambotte O, et al. Development and validation of the HScore, a score for the diagnosis of reactive hemophagocytic syndrome. Arthritis Rheumatol. 2014;66(9):2613-2620.',
    doi: '10.1002/art.38690',
    url: doiUrl('10.1002/art.38690'),
    doc: 'docs/clinical-basis.md#hscore',
  },
  henter2007: {
    citation: 'Henter JI, Horne A, Arico M, et al. HLH-2004: Diagnostic and therapeutic guidelines for hemophagocytic lymphohistiocytosis. Pediatr Blood Cancer. 2007;48(2):124-131.',
    doi: '10.1002/pbc.21039',
    url: doiUrl('10.1002/pbc.21039'),
    doc: 'docs/clinical-basis.md#hlh2004',
  },
  zorefLorenz2022: {
    citation: 'Zoref-Lorenz A, Murakami J, Hofstetter L, et al. An improved index for diagnosis and mortality prediction in malignancy-associated hemophagocytic lymphohistiocytosis. Blood. 2022;139(7):1098-1110.',
    doi: '10.1182/blood.2021012764',
    url: doiUrl('10.1182/blood.2021012764'),
    doc: 'docs/clinical-basis.md#ohi',
  },
  lee2019: {
    citation: 'Lee DW, et al. ASTCT consensus grading for cytokine release syndrome and neurologic toxicity associated with immune effector cells. Biol Blood Marrow Transplant. 2019;25(4):625-638.',
    doi: '10.1016/j.bbmt.2018.12.758',
    url: doiUrl('10.1016/j.bbmt.2018.12.758'),
    doc: 'docs/clinical-basis.md#crs-grading',
  },
  ctcae5: {
    citation: 'National Cancer Institute. Common Terminology Criteria for Adverse Events (CTCAE) version 5.0. 27 November 2017.',
    doc: 'docs/clinical-basis.md#ctcae',
  },
} as const satisfies Record<string, Publication>;

export type PublicationId = keyof typeof PUBLICATIONS;

/** The reference with its DOI, as a bibliography lists it. */
export function fullCitation(p: Publication): string {
  return p.doi ? `${p.citation} doi:${p.doi}.` : p.citation;
}
