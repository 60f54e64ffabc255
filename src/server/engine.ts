/**
 * The pure clinical pipeline the service route runs: PatientData -> timeline -> evaluation -> cards.
 * Injectable (AppDeps.engine) so protocol tests can pin the cards while end-to-end tests use the real one.
 */
import { orderSelectCards, patientViewCards, type CardContext, type OrderSelectContext } from '../cards/index.js';
import type { CdsCard } from '../cards/cdsHooks.js';
import { evaluate } from '../criteria/index.js';
import { buildTimeline } from '../features/index.js';
import type { PatientData } from '../features/types.js';

export type EngineInput =
  | { hook: 'patient-view'; data: PatientData; ctx: CardContext }
  | { hook: 'order-select'; data: PatientData; ctx: OrderSelectContext };

export type Engine = (input: EngineInput) => CdsCard[];

export const realEngine: Engine = (input) => {
  const timeline = buildTimeline(input.data, { now: input.ctx.now, ...(input.ctx.siteTimeZone ? { timeZone: input.ctx.siteTimeZone } : {}) });
  // One set of threshold overrides (AppConfig.thresholds) for the criteria and the windows cards apply.
  const evaluation = evaluate(timeline, { thresholds: input.ctx.thresholds ?? {} });
  return input.hook === 'order-select' ? orderSelectCards(evaluation, input.ctx) : patientViewCards(evaluation, input.ctx);
};
