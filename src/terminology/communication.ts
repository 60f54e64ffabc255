/**
 * Codes of the FHIR Communication the census writes back to the EHR (src/census/communication.ts).
 * `alert` from the HL7 communication-category code system (FHIR R4 Communication.category example
 * binding), and the RFC 3986 identifier system under which the notification id is sent as a urn:uuid.
 */
export const COMMUNICATION_CATEGORY_ALERT = {
  system: 'http://terminology.hl7.org/CodeSystem/communication-category',
  code: 'alert',
  display: 'Alert',
} as const;

/** Identifier system for an identifier whose value is itself a URI (here `urn:uuid:<notification id>`). */
export const URI_IDENTIFIER_SYSTEM = 'urn:ietf:rfc:3986';
