/**
 * The census: every patient in the watch window after immune effector cell therapy, as the scheduled
 * evaluator last saw them, with the episode state that drives notifications.
 */
import type { Analyte, ExposureClass } from '../features/types.js';
import type { Tier } from '../criteria/types.js';

/** Lab movement between the two latest results: a plain comparison, no clinical cut-off involved. */
export type Movement = 'up' | 'down' | 'same' | 'single';

export interface KeyValue {
  analyte: Analyte;
  label: string;
  value: number;
  unit: string;
  /** Value as the cards print it (rounded, display unit, censoring comparator). */
  text: string;
  comparator?: string;
  time: string;
  day?: number;
  /** For ferritin: the engine's course direction (rising/falling/stable/single); else the plain movement. */
  direction: Movement | 'rising' | 'falling' | 'stable';
  previous?: number;
}

export interface CensusEntry {
  patientId: string;
  /** Display name from Patient.name (the census is an authenticated clinical list). */
  name?: string;
  watched: boolean;
  watchReason: string;
  exposureClass?: ExposureClass;
  product?: string;
  /** Days after the latest infusion (site calendar days, as the engine counts them). */
  day?: number;
  crs: { state: 'active' | 'resolved' | 'none'; grade?: number };
  /** The HLH-like picture: `met` (tier warning/critical), `watch`, or `not-met`. */
  iecHs: 'met' | 'watch' | 'not-met';
  tier: Tier;
  rule?: string;
  overlappingCrs: boolean;
  keyValues: KeyValue[];
  labsDue: Analyte[];
  /** Display names of `labsDue`, same order. */
  labsDueLabels: string[];
  /** Data items that could not be read in full for this evaluation. */
  partialData: string[];
  evaluatedAt: string;
}

/** What the store knows of one patient: the latest entry and the open episode, if any. */
export interface PatientRecord {
  entry: CensusEntry;
  /** Set when the last evaluation attempt failed (the entry is then the previous one). */
  lastError?: string;
  episode?: EpisodeSummary;
}

export interface EpisodeSummary {
  id: string;
  /** First cycle that saw the picture met. */
  metAt: string;
  tier: Tier;
  /** Highest tier notified in this episode. */
  maxTier: Tier;
}

export interface EpisodeRow {
  id: string;
  patientId: string;
  metAt: string;
  resolvedAt?: string;
  maxTier: Tier;
  tierChanges: { at: string; tier: Tier }[];
  /** First corticosteroid or anakinra administration seen at or after `metAt`. */
  firstTreatmentAt?: string;
}

export interface NotificationRecord {
  id: string;
  patientId: string;
  episodeId: string;
  kind: 'new-picture' | 'higher-tier';
  tier: Tier;
  previousTier: Tier;
  createdAt: string;
  /** The JSON body posted (already reduced to the configured PHI level). */
  payload: Record<string, unknown>;
  attempts: number;
  deliveredAt?: string;
  /** Text of the FHIR Communication to write for this notification; absent when none is configured. */
  communicationText?: string;
  communicationAttempts?: number;
  communicatedAt?: string;
}

/** Episode store behind an async interface: SQLite (embedded default) or PostgreSQL (DATABASE_URL), schema in src/feedback/migrations.ts. */
export interface EpisodeStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs `fn` only when this instance holds the cycle lock (PostgreSQL: pg_try_advisory_xact_lock in a
   * transaction held open for the cycle; SQLite: this process). Returns `{ ran: false }` when another cycle runs.
   */
  withCycleLock<T>(fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  /**
   * Stores the entry and applies the episode transition atomically; returns the notifications created
   * (none when the state is unchanged). `treatmentAt` = first corticosteroid/anakinra administration seen.
   */
  applyEvaluation(entry: CensusEntry, treatmentTimes: string[], makeNotification: NotificationFactory): Promise<NotificationRecord[]>;
  /** Marks a failed evaluation without touching the last good entry. */
  recordFailure(patientId: string, at: string, error: string): Promise<void>;
  listPatients(): Promise<PatientRecord[]>;
  pendingNotifications(): Promise<NotificationRecord[]>;
  /** Claims a pending notification for one delivery attempt; false when already delivered. */
  markAttempt(id: string): Promise<boolean>;
  markDelivered(id: string, at: string): Promise<void>;
  /** Notifications whose FHIR Communication is configured and not yet written. */
  pendingCommunications(): Promise<NotificationRecord[]>;
  /** Counts one Communication write attempt; false when already written. */
  markCommunicationAttempt(id: string): Promise<boolean>;
  markCommunicated(id: string, at: string): Promise<void>;
  episodes(): Promise<EpisodeRow[]>;
  close(): Promise<void>;
}

export type NotificationFactory = (
  n: Pick<NotificationRecord, 'patientId' | 'episodeId' | 'kind' | 'tier' | 'previousTier' | 'createdAt'>,
  entry: CensusEntry,
) => { id: string; payload: Record<string, unknown>; communicationText?: string };
