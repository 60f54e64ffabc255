/**
 * The FHIR `Communication` written back to the EHR for each notification (census.communication): one
 * message to the care team, `subject` = the patient, category `alert`, one text payload with the tier
 * and, only when configured, the key values. `identifier` = the notification id (urn:uuid), and the
 * write is a conditional create (`If-None-Exist: identifier=...`): a retry after a lost answer finds the
 * first Communication instead of making a second one. It goes through the same outbound guard (bounded
 * time and bytes) and the same backend-services token as the cycle's reads. Failures are logged with the
 * notification id and HTTP status or error kind only, retried with backoff, and the rest wait for the
 * next cycle; they never fail the cycle or the webhook.
 */
import type { Communication } from 'fhir/r4';
import { COMMUNICATION_CATEGORY_ALERT, URI_IDENTIFIER_SYSTEM } from '../terminology/communication.js';
import type { Logger } from '../server/logger.js';
import type { GuardedFetch } from './outbound.js';
import { writeWithRetry } from './retry.js';
import type { CensusEntry, EpisodeStore, NotificationRecord } from './types.js';

export interface CommunicationOptions {
  /** Besides the tier, day and rule: nothing more (`tier`), or also the key values and labs due. */
  include: 'tier' | 'tier-and-values';
  retries: number;
  backoffMs: number;
}

/** Tier -> Communication.priority (request-priority): a display of urgency, not a clinical cut-off. */
const PRIORITY: Readonly<Record<string, Communication['priority']>> = { critical: 'stat', warning: 'urgent' };

/** The payload text, fixed when the notification is created (what the cycle saw then). */
export function communicationText(
  n: { kind: NotificationRecord['kind']; tier: string; previousTier: string },
  entry: CensusEntry,
  opts: { include: CommunicationOptions['include']; censusUrl?: string },
): string {
  const what = n.kind === 'new-picture' ? `newly meets the HLH-like picture (possible IEC-HS), tier ${n.tier}` : `HLH-like picture rose from tier ${n.previousTier} to ${n.tier}`;
  const parts = [`IEC-HS surveillance census: patient ${what}`];
  if (entry.overlappingCrs) parts.push('overlapping active CRS');
  if (entry.day !== undefined) parts.push(`day ${entry.day} after infusion`);
  if (entry.rule) parts.push(`rule ${entry.rule}`);
  let text = `${parts.join('; ')}.`;
  if (opts.include === 'tier-and-values') {
    if (entry.keyValues.length > 0) text += ` Latest: ${entry.keyValues.map((k) => `${k.label} ${k.text} (${k.direction})`).join(', ')}.`;
    if (entry.labsDueLabels.length > 0) text += ` Labs due: ${entry.labsDueLabels.join(', ')}.`;
  }
  if (opts.censusUrl) text += ` Census: ${opts.censusUrl}`;
  return text;
}

export function identifierOf(notificationId: string): { system: string; value: string } {
  return { system: URI_IDENTIFIER_SYSTEM, value: `urn:uuid:${notificationId}` };
}

export function communicationResource(n: NotificationRecord, text: string): Communication {
  const priority = PRIORITY[n.tier];
  return {
    resourceType: 'Communication',
    identifier: [identifierOf(n.id)],
    status: 'completed',
    category: [{ coding: [{ ...COMMUNICATION_CATEGORY_ALERT }], text: 'IEC-HS surveillance' }],
    ...(priority ? { priority } : {}),
    subject: { reference: `Patient/${n.patientId}` },
    sent: n.createdAt,
    payload: [{ contentString: text }],
  };
}

export interface CommunicationReport {
  written: number;
  failed: number;
}

export async function writePendingCommunications(
  store: EpisodeStore,
  opts: CommunicationOptions,
  deps: {
    fhirServer: string;
    /** Guarded fetch bound to the FHIR server (src/census/outbound.ts guardedFetchFor). */
    fetch: GuardedFetch;
    accessToken?: string;
    now: () => Date;
    logger?: Logger;
    random?: () => number;
  },
): Promise<CommunicationReport> {
  const url = `${deps.fhirServer.replace(/\/+$/, '')}/Communication`;
  const report: CommunicationReport = { written: 0, failed: 0 };
  for (const n of await store.pendingCommunications()) {
    if (await writeOne(n)) report.written++;
    else report.failed++;
  }
  return report;

  async function writeOne(n: NotificationRecord): Promise<boolean> {
    if (!n.communicationText) return true;
    const identifier = identifierOf(n.id);
    const body = JSON.stringify(communicationResource(n, n.communicationText));
    const headers = {
      'content-type': 'application/fhir+json',
      accept: 'application/fhir+json',
      'if-none-exist': `identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`,
      ...(deps.accessToken ? { authorization: `Bearer ${deps.accessToken}` } : {}),
    };
    return writeWithRetry(
      {
        id: n.id,
        claim: () => store.markCommunicationAttempt(n.id),
        send: () => deps.fetch(url, { method: 'POST', headers, body }),
        // 201 created; 200 = the conditional create found the one an earlier attempt wrote.
        succeeded: (status) => status === 200 || status === 201,
        done: () => store.markCommunicated(n.id, deps.now().toISOString()),
        messages: { refused: 'census Communication write refused', failed: 'census Communication write failed' },
      },
      opts,
      { ...(deps.logger ? { logger: deps.logger } : {}), ...(deps.random ? { random: deps.random } : {}) },
    );
  }
}
