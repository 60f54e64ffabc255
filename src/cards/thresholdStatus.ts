/**
 * One status line for the thresholds behind a card: approved by the site (configuration, passed in as
 * CardContext.thresholdApproval) or the service's unverified defaults, plus a note when a local rule
 * (no published number) decided a criterion.
 */
import type { Evaluation } from '../criteria/types.js';
import type { CardContext } from './context.js';
import { criteriaOf, firedAssessmentId } from './keyValues.js';
import { escapeMarkdown } from './markdown.js';

function localRuleApplied(evaluation: Evaluation): boolean {
  return criteriaOf(evaluation, firedAssessmentId(evaluation)).some((c) => c.status === 'met' && (c.resolvedThresholds ?? []).some((t) => t.local));
}

/** `alert`: only a verdict that fired names the local rule behind it. */
export function thresholdStatusLine(evaluation: Evaluation, ctx: Pick<CardContext, 'thresholdApproval'>, alert: boolean): string {
  const approval = ctx.thresholdApproval;
  const status = approval
    ? `site-approved by ${escapeMarkdown(approval.by.slice(0, 80))} on ${escapeMarkdown(approval.date.slice(0, 20))}`
    : 'unverified defaults, not site-approved';
  const local = alert && localRuleApplied(evaluation) ? '; one is a local rule' : '';
  return `Thresholds: ${status}${local}.`;
}
