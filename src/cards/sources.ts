/** Card `source`, `links` and `overrideReasons`: what every card of ours carries besides its content. */
import type { CdsCoding, CdsLink, CdsSource } from './cdsHooks.js';
import type { CardContext } from './context.js';
import { OVERRIDE_REASON_SYSTEM, TOPIC_SYSTEM } from './namespace.js';
import { PUBLICATIONS } from '../criteria/publications.js';
import type { Evaluation } from '../criteria/types.js';
import { isTCellEngager } from './wording.js';

export const OVERRIDE_REASON = {
  managedByCellTherapyTeam: {
    system: OVERRIDE_REASON_SYSTEM,
    code: 'managed-by-cell-therapy-team',
    display: 'Already managed by the cellular therapy team',
  },
  alternativeExplanation: {
    system: OVERRIDE_REASON_SYSTEM,
    code: 'alternative-explanation',
    display: 'Alternative explanation (e.g. infection, relapse)',
  },
  notRelevantNow: {
    system: OVERRIDE_REASON_SYSTEM,
    code: 'not-clinically-relevant-now',
    display: 'Not clinically relevant now',
  },
  treatingOverlappingCrs: {
    system: OVERRIDE_REASON_SYSTEM,
    code: 'treating-overlapping-crs',
    display: 'Given for overlapping CRS',
  },
} as const satisfies Record<string, Required<CdsCoding>>;

export const ALERT_OVERRIDE_REASONS: CdsCoding[] = [
  OVERRIDE_REASON.managedByCellTherapyTeam,
  OVERRIDE_REASON.alternativeExplanation,
  OVERRIDE_REASON.notRelevantNow,
];

export const IL6_OVERRIDE_REASONS: CdsCoding[] = [OVERRIDE_REASON.treatingOverlappingCrs, ...ALERT_OVERRIDE_REASONS];

export const TOPIC = {
  surveillance: { system: TOPIC_SYSTEM, code: 'iec-hs-surveillance', display: 'IEC-HS surveillance after immune effector cell therapy' },
  orderSelect: { system: TOPIC_SYSTEM, code: 'iec-hs-order-select', display: 'IEC-HS guidance while ordering' },
} as const satisfies Record<string, CdsCoding>;

/** Path, under the service base URL, of the HTI-1 source attributes page the lead mounts. */
export function sourceAttributesPath(serviceId: string): string {
  return `/cds-services/${encodeURIComponent(serviceId)}/source-attributes`;
}

function sourceAttributesUrl(ctx: CardContext): string | undefined {
  return ctx.serviceBaseUrl ? `${ctx.serviceBaseUrl.replace(/\/+$/, '')}${sourceAttributesPath(ctx.serviceId)}` : undefined;
}

export function cardSource(ctx: CardContext, topic: CdsCoding, evaluation?: Evaluation): CdsSource {
  // source.url describes the source (HTI-1 attribute page when we know our own URL, else the guideline).
  // T-cell engager cards never use the term IEC-HS, not even in the source label.
  const label = evaluation && isTCellEngager(evaluation) ? 'HLH-like syndrome CDS, after ASTCT 2023 (Hines et al.)' : 'IEC-HS CDS, after ASTCT 2023 (Hines et al.)';
  return { label, url: sourceAttributesUrl(ctx) ?? PUBLICATIONS.hines2023.url, topic };
}

/** The SMART app's launch URL under a service base URL (served by the app at `/app/launch.html`). */
export function smartAppLaunchUrlFor(serviceBaseUrl: string): string {
  return `${serviceBaseUrl.replace(/\/+$/, '')}/app/launch.html`;
}

/**
 * The timeline: a `smart` link to the SMART app when its launch URL is known (the EHR launches it with
 * the patient in context), else the plain timeline page, else the guideline. Every link is one more row
 * before the card's buttons end, so the rest is reached through `source.url`: the source attributes page
 * (which cites the guideline with its DOI) when our own URL is known, else the guideline itself.
 */
export function cardLinks(ctx: CardContext): CdsLink[] {
  const links: CdsLink[] = [];
  if (ctx.smartAppLaunchUrl) {
    links.push({ label: 'Timeline and full evidence (SMART app)', url: ctx.smartAppLaunchUrl, type: 'smart' });
  } else if (ctx.timelineBaseUrl) {
    const separator = ctx.timelineBaseUrl.includes('?') ? '&' : '?';
    links.push({
      label: 'Timeline and full evidence for this patient',
      url: `${ctx.timelineBaseUrl}${separator}patient=${encodeURIComponent(ctx.patientId)}`,
      type: 'absolute',
    });
  } else {
    links.push({ label: 'ASTCT consensus (Hines 2023)', url: PUBLICATIONS.hines2023.url, type: 'absolute' });
  }
  return links;
}
