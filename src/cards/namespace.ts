/**
 * Identifiers this service mints: one base URI for our code systems and one namespaced key for the
 * card extension. Keep them here so a deployment changes them in one place.
 */
export const OUR_BASE_URI = 'https://iec-hs-cds.example.org';

/** Override reasons offered on our cards (CDS Hooks Coding: system + code + display). */
export const OVERRIDE_REASON_SYSTEM = `${OUR_BASE_URI}/CodeSystem/override-reason`;

/** Topics for `source.topic`: which intervention a card belongs to. */
export const TOPIC_SYSTEM = `${OUR_BASE_URI}/CodeSystem/intervention`;

/** Card `extension` key carrying what the card memory needs (type, episode, severity signature). */
export const CARD_META_EXTENSION = 'org.example.iec-hs-cds.card';

/** Discovery / card `extension` key for the ONC HTI-1 source attributes. */
export const SOURCE_ATTRIBUTES_EXTENSION = 'org.example.iec-hs-cds.dsi-source-attributes';
