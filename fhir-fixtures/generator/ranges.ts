/**
 * Reference ranges the synthetic labs print on their results (docs/clinical-basis.md#reference-ranges typical ranges; the
 * pediatric column is a plausible children's-hospital range for a school-age child). Scenarios may
 * override a range per lab, or send none at all, to exercise the engine's own fallbacks.
 */
import type { LabKey } from './codes.js';

export interface Range {
  low?: number;
  high?: number;
}

export type RangeProfile = 'adult' | 'pediatric';
type Sex = 'male' | 'female';

type RangeRow = Range | Record<Sex, Range>;

const ADULT: Partial<Record<LabKey, RangeRow>> = {
  ferritin: { male: { low: 24, high: 336 }, female: { low: 11, high: 307 } },
  ferritinImmunoassay: { male: { low: 24, high: 336 }, female: { low: 11, high: 307 } },
  // 24-336 ng/mL x 2.247 (docs/terminology.md#units).
  ferritinMolar: { male: { low: 54, high: 755 }, female: { low: 25, high: 690 } },
  fibrinogen: { low: 200, high: 400 },
  fibrinogenSI: { low: 2.0, high: 4.0 },
  triglycerides: { high: 150 },
  triglyceridesMolar: { high: 1.7 },
  ast: { low: 10, high: 40 },
  alt: { low: 7, high: 45 },
  bilirubin: { low: 0.2, high: 1.2 },
  bilirubinMolar: { low: 3, high: 21 },
  ldh: { low: 125, high: 250 },
  creatinine: { male: { low: 0.7, high: 1.3 }, female: { low: 0.6, high: 1.1 } },
  creatinineMolar: { male: { low: 62, high: 115 }, female: { low: 53, high: 97 } },
  platelets: { low: 150, high: 400 },
  plateletsSI: { low: 150, high: 400 },
  anc: { low: 1.8, high: 7.7 },
  ancSI: { low: 1.8, high: 7.7 },
  wbc: { low: 4.0, high: 11.0 },
  hemoglobin: { male: { low: 13.5, high: 17.5 }, female: { low: 12.0, high: 15.5 } },
  hemoglobinSI: { male: { low: 135, high: 175 }, female: { low: 120, high: 155 } },
  crp: { high: 5.0 },
  inr: { low: 0.9, high: 1.1 },
  sil2r: { low: 175.3, high: 858.2 },
  procalcitonin: { high: 0.1 },
};

const PEDIATRIC: Partial<Record<LabKey, RangeRow>> = {
  ...ADULT,
  ferritin: { low: 7, high: 140 },
  ast: { low: 15, high: 50 },
  alt: { low: 5, high: 45 },
  bilirubin: { low: 0.2, high: 1.0 },
  ldh: { low: 150, high: 300 },
  creatinine: { low: 0.3, high: 0.7 },
  platelets: { low: 150, high: 450 },
  anc: { low: 1.5, high: 8.0 },
  wbc: { low: 4.5, high: 13.5 },
  hemoglobin: { low: 11.5, high: 15.5 },
};

function isSexSpecific(row: RangeRow): row is Record<Sex, Range> {
  return 'male' in row;
}

export function printedRange(labKey: LabKey, profile: RangeProfile, sex: Sex): Range | undefined {
  const row = (profile === 'adult' ? ADULT : PEDIATRIC)[labKey];
  if (!row) return undefined;
  return isSexSpecific(row) ? row[sex] : row;
}
