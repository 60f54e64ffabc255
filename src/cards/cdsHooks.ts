/** CDS Hooks 2.0 response model (cards, suggestions, actions, links), as the spec tables define it. */
import type { FhirResource } from 'fhir/r4';

export type Indicator = 'info' | 'warning' | 'critical';

export interface CdsCoding {
  system: string;
  code: string;
  display?: string;
}

export interface CdsSource {
  label: string;
  url?: string;
  icon?: string;
  topic?: CdsCoding;
}

export interface CdsAction {
  type: 'create' | 'update' | 'delete';
  description: string;
  resource?: FhirResource;
  resourceId?: string;
}

export interface CdsSuggestion {
  label: string;
  uuid?: string;
  isRecommended?: boolean;
  actions?: CdsAction[];
}

export interface CdsLink {
  label: string;
  url: string;
  type: 'absolute' | 'smart';
  appContext?: string;
}

export interface CdsCard {
  uuid?: string;
  summary: string;
  detail?: string;
  indicator: Indicator;
  source: CdsSource;
  suggestions?: CdsSuggestion[];
  selectionBehavior?: 'at-most-one' | 'any';
  overrideReasons?: CdsCoding[];
  links?: CdsLink[];
  extension?: Record<string, unknown>;
}

export interface CdsResponse {
  cards: CdsCard[];
  systemActions?: CdsAction[];
}
