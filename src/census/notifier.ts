/**
 * Webhook notifications when a patient newly meets the picture or rises a tier. The body carries no
 * more patient data than configured: by default no patient id at all (the receiver opens the census,
 * which requires sign-in), optionally the FHIR patient id; never names or values. Each notification has
 * an id (also sent as `Idempotency-Key`); the store creates at most one per (episode, tier), marks it
 * delivered on the first 2xx and never posts a delivered id again. Failures are retried with
 * exponential backoff within a run, and the rest wait for the next cycle.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../server/logger.js';
import { communicationText, type CommunicationOptions } from './communication.js';
import { writeWithRetry } from './retry.js';
import type { GuardedFetch } from './outbound.js';
import type { CensusEntry, EpisodeStore, NotificationFactory, NotificationRecord } from './types.js';

export interface WebhookOptions {
  url: string;
  include: 'no-patient-id' | 'patient-id';
  retries: number;
  backoffMs: number;
  /** Census page the receiver links to. */
  censusUrl?: string;
}

export function notificationFactory(
  opts: { include: WebhookOptions['include']; censusUrl?: string; communication?: Pick<CommunicationOptions, 'include'> },
  newId: () => string = randomUUID,
): NotificationFactory {
  return (n, entry: CensusEntry) => {
    const id = newId();
    const communication = opts.communication;
    return {
      id,
      ...(communication ? { communicationText: communicationText(n, entry, { include: communication.include, ...(opts.censusUrl ? { censusUrl: opts.censusUrl } : {}) }) } : {}),
      payload: {
        id,
        type: n.kind === 'new-picture' ? 'hlh-like-picture-new' : 'hlh-like-picture-higher-tier',
        tier: n.tier,
        previousTier: n.previousTier,
        ...(entry.rule ? { rule: entry.rule } : {}),
        overlappingCrs: entry.overlappingCrs,
        ...(entry.exposureClass ? { exposureClass: entry.exposureClass } : {}),
        ...(entry.day !== undefined ? { day: entry.day } : {}),
        detectedAt: n.createdAt,
        ...(opts.include === 'patient-id' ? { patient: `Patient/${n.patientId}` } : {}),
        ...(opts.censusUrl ? { census: opts.censusUrl } : {}),
      },
    };
  };
}

export interface DeliveryReport {
  delivered: number;
  failed: number;
}

export async function deliverPending(
  store: EpisodeStore,
  webhook: WebhookOptions,
  deps: { fetch: GuardedFetch; now: () => Date; logger?: Logger; random?: () => number },
): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, failed: 0 };
  for (const n of await store.pendingNotifications()) {
    if (await deliverOne(n)) report.delivered++;
    else report.failed++;
  }
  return report;

  function deliverOne(n: NotificationRecord): Promise<boolean> {
    return writeWithRetry(
      {
        id: n.id,
        claim: () => store.markAttempt(n.id),
        send: () => deps.fetch(webhook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': n.id }, body: JSON.stringify(n.payload) }),
        succeeded: (status) => status >= 200 && status < 300,
        done: () => store.markDelivered(n.id, deps.now().toISOString()),
        messages: { refused: 'census webhook refused the notification', failed: 'census webhook unreachable' },
      },
      webhook,
      { ...(deps.logger ? { logger: deps.logger } : {}), ...(deps.random ? { random: deps.random } : {}) },
    );
  }
}
