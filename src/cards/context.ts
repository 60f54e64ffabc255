/** What the caller tells the card builders besides the evaluation; a module of its own so the builders import nothing back from index.ts. */
import type { Bundle, FhirResource } from 'fhir/r4';

export interface CardContext {
  serviceId: string;
  patientId: string;
  /** Evaluation time, ISO 8601. */
  now: string;
  /** Base URL of the timeline page; cards link to `${timelineBaseUrl}?patient=<id>`. */
  timelineBaseUrl?: string;
  /** Base URL of this service, for absolute links (e.g. the HTI-1 source attributes page). */
  serviceBaseUrl?: string;
  /** FHIR data was incomplete (budget ran out, a query failed): cards must say so. */
  partialData?: { missing: string[] };
  /** Threshold overrides by id (AppConfig.thresholds), for the windows cards apply themselves. */
  thresholds?: Record<string, number>;
  /** The site's IANA time zone (AppConfig.site.timeZone) day numbers count in; absent = the infusion record's offset. */
  siteTimeZone?: string;
  /** uuid generator for cards and suggestions; default crypto.randomUUID. */
  newId?: () => string;
  /**
   * Contract (issue 13): lab orders this user's accepted suggestions created that are still pending
   * (from the card memory). Cards show them as "ordered, pending" and never list them as due.
   */
  pendingOrders?: { loinc: string; orderedAt: string }[];
  /** Contract (issue 13): launch URL of the SMART timeline app; every alert card links to it (`type: "smart"`). */
  smartAppLaunchUrl?: string;
  /**
   * Who approved the threshold table for this site and when (configuration `thresholdApproval`). Cards
   * print "site-approved by <by> on <date>", else "unverified defaults".
   */
  thresholdApproval?: { by: string; date: string };
}

export interface OrderSelectContext extends CardContext {
  selections: string[];
  draftOrders: Bundle<FhirResource>;
}
