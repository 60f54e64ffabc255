/**
 * Assessments -> CDS Hooks cards. The server calls exactly these two functions; both are pure apart
 * from minting uuids (inject `newId` for deterministic output).
 */
import { randomUUID } from 'node:crypto';
import type { Evaluation } from '../criteria/types.js';
import type { CardContext, OrderSelectContext } from './context.js';
import type { CdsCard } from './cdsHooks.js';
import { buildOrderSelectCards } from './orderSelect.js';
import { buildPatientViewCards } from './patientView.js';

export type { CardContext, OrderSelectContext } from './context.js';

export function patientViewCards(evaluation: Evaluation, ctx: CardContext): CdsCard[] {
  return buildPatientViewCards(evaluation, ctx, ctx.newId ?? randomUUID);
}

export function orderSelectCards(evaluation: Evaluation, ctx: OrderSelectContext): CdsCard[] {
  return buildOrderSelectCards(evaluation, ctx, ctx.newId ?? randomUUID);
}

export type * from './cdsHooks.js';
export { readCardMeta, type CardMeta, type CardType } from './cardMeta.js';
export { patientViewTier } from './patientView.js';
export {
  SOURCE_ATTRIBUTES,
  renderSourceAttributesHtml,
  sourceAttributesExtension,
  sourceAttributesFor,
  type ServiceSourceAttributes,
} from './sourceAttributes.js';
export { sourceAttributesPath, smartAppLaunchUrlFor } from './sources.js';
export { ORDER_SELECT_DETAIL_MAX, PATIENT_VIEW_DETAIL_MAX } from './detail.js';
export { overrideNoticeCard, type OverrideNotice } from './overrideNotice.js';
