/**
 * NegEx-style scoped negation of hemophagocytosis in marrow / pathology text (Chapman 2001,
 * doi:10.1006/jbin.2001.1029). Each sentence was written the way marrow reports phrase it; the
 * expected verdict is what a haematopathologist reading it would say.
 */
import { HEMOPHAGOCYTOSIS_FINDING, mentionStatus } from '../../src/terminology/index.js';

const AFFIRMED: readonly string[] = [
  'Prominent hemophagocytosis is present, without evidence of residual myeloma.',
  'Hypercellular marrow with increased histiocytes and frequent hemophagocytosis.',
  'No evidence of residual lymphoma; hemophagocytosis is present.',
  'No residual lymphoma is seen, and there is marked hemophagocytosis.',
  'Negative for malignancy. Scattered hemophagocytic histiocytes are identified.',
  'There is no increase in blasts, but hemophagocytosis is readily identified.',
  'Haemophagocytosis noted on the aspirate smear.',
  'Findings: hemophagocytosis present and lymphoma absent.',
  'No abnormal plasma cells; rare hemophagocytic figures are seen.',
  'Morphology shows erythroid hyperplasia and hemophagocytosis, without increased blasts.',
  'Without significant fibrosis; numerous hemophagocytes containing erythrocytes and platelets.',
  'The marrow is free of lymphoma other than hemophagocytosis which is conspicuous.',
];

const NEGATED: readonly string[] = [
  'No hemophagocytosis is seen.',
  'Negative for hemophagocytosis.',
  'Hemophagocytosis is not identified.',
  'Hemophagocytosis: absent.',
  'No evidence of lymphoma, granulomas, or hemophagocytosis.',
  'There is no significant hemophagocytosis.',
  'Hemophagocytic activity was not observed on the aspirate.',
  'Absence of hemophagocytosis in the examined material.',
  'Without hemophagocytosis or increased histiocytes.',
  'Histiocytes are unremarkable; hemophagocytosis none seen.',
  'No lymphoma, no hemophagocytosis.',
  'Neither granulomas nor hemophagocytosis are identified.',
];

const UNCERTAIN: readonly string[] = [
  'Hemophagocytosis cannot be excluded on this limited aspirate.',
  'Rule out hemophagocytosis.',
  'Possible early hemophagocytosis; correlate clinically.',
];

describe('hemophagocytosis mentions with scoped negation', () => {
  test.each(AFFIRMED.map((s) => [s]))('affirmed: %s', (sentence) => {
    expect(mentionStatus(sentence, HEMOPHAGOCYTOSIS_FINDING)).toBe('affirmed');
  });
  test.each(NEGATED.map((s) => [s]))('negated: %s', (sentence) => {
    expect(mentionStatus(sentence, HEMOPHAGOCYTOSIS_FINDING)).toBe('negated');
  });
  test.each(UNCERTAIN.map((s) => [s]))('uncertain (not counted): %s', (sentence) => {
    expect(mentionStatus(sentence, HEMOPHAGOCYTOSIS_FINDING)).toBe('uncertain');
  });
  test('a report where one mention is negated and another affirmed counts as affirmed', () => {
    expect(mentionStatus('Core biopsy: no hemophagocytosis. Aspirate: hemophagocytosis present.', HEMOPHAGOCYTOSIS_FINDING)).toBe('affirmed');
  });
  test('text without the finding is absent; decimals do not split sentences', () => {
    expect(mentionStatus('Cellularity 30.5%, no lymphoma.', HEMOPHAGOCYTOSIS_FINDING)).toBe('absent');
  });
  test('at least 20 sentences of both kinds are covered', () => {
    expect(AFFIRMED.length + NEGATED.length).toBeGreaterThanOrEqual(20);
    expect(AFFIRMED.length).toBeGreaterThanOrEqual(10);
    expect(NEGATED.length).toBeGreaterThanOrEqual(10);
  });
});
