/**
 * Citation of every criteria set, as shown on cards and in the app (verified = the numbers applied were
 * read in a source). The publications themselves are in publications.ts, the one citation table.
 */
import { PUBLICATIONS } from './publications.js';
import type { AssessmentId, GuidelineSource } from './types.js';

function from(publication: { citation: string; url: string }, label: string, verified: boolean): GuidelineSource {
  return { label, citation: publication.citation, url: publication.url, verified };
}

export const SOURCES: Readonly<Record<AssessmentId, GuidelineSource>> = {
  // Definition verified in secondary sources; the numeric thresholds are recalled (docs/clinical-basis.md#astct).
  'astct-iec-hs': from(PUBLICATIONS.hines2023, 'ASTCT IEC-HS consensus (Hines 2023)', false),
  carhlh: from(PUBLICATIONS.neelapu2018, 'CARTOX carHLH/MAS (Neelapu 2018)', true),
  'hlh-lt': from(PUBLICATIONS.mcnerney2023, 'PRWCC HLH-like toxicity (McNerney 2023)', true),
  hscore: from(PUBLICATIONS.fardet2014, 'HScore (Fardet 2014)', true),
  'hlh-2004': from(PUBLICATIONS.henter2007, 'HLH-2004 (Henter 2007)', true),
  ohi: from(PUBLICATIONS.zorefLorenz2022, 'Optimized HLH Inflammatory index (Zoref-Lorenz 2022)', true),
};
