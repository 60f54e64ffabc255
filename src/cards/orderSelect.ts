/**
 * order-select (service iec-hs-order-select). Only the draft orders named in `context.selections` are
 * judged; the other draft orders only count as "already being ordered".
 * - A selected IEC-HS lab for a watched patient: suggest the rest of the panel that is neither drafted
 *   nor resulted recently (passive info card).
 * - A selected IL-6 blocker while the picture is present without active CRS: a warning that IL-6 blockade
 *   alone is not expected to treat it, with the first-line alternatives (aware of what is running) as
 *   text. With active CRS (overlap): a passive note instead.
 * Detail at most ORDER_SELECT_DETAIL_MAX characters: why it matters now, one evidence line, the actions.
 * - Corticosteroids, anakinra and everything else: no card (no noise while the right therapy is ordered).
 * Never suggests a medication.
 */
import type { Bundle, CodeableConcept, FhirResource, MedicationRequest, ServiceRequest } from 'fhir/r4';
import type { Analyte } from '../features/types.js';
import type { Evaluation } from '../criteria/types.js';
import { medicationConcepts } from '../features/fhir.js';
import { LAB_INDEX, WORKUP_PANEL, codingsOf, matchTreatmentConcept, systemKeyOf, type TreatmentDrug, type WorkupItem } from '../terminology/index.js';
import type { CdsCard } from './cdsHooks.js';
import { episodeKey, metSignature, withCardMeta } from './cardMeta.js';
import { ORDER_SELECT_DETAIL_MAX, fitDetail, partialDataBanner } from './detail.js';
import { ANALYTE_LABEL, capitalize, formatLab, listWithMore } from './format.js';
import { firstLineAlternatives } from './guidance.js';
import type { OrderSelectContext } from './context.js';
import { ferritinPhrase, latestFerritin } from './keyValues.js';
import { courseText, labLine } from './labText.js';
import { escapeMarkdown } from './markdown.js';
import { recentResultHours } from './cardThresholds.js';
import { pendingAnalytes } from './pending.js';
import { ALERT_OVERRIDE_REASONS, IL6_OVERRIDE_REASONS, TOPIC, cardLinks, cardSource } from './sources.js';
import { fitFirst, fitSummary } from './summary.js';
import { overlapsCrs, picturePresent } from './tier.js';
import { dayPhrase, syndrome } from './wording.js';
import { labName, workupSuggestions } from './workupSuggestions.js';
import { HOUR_MS } from '../terminology/time.js';

/** Entries of a draftOrders Bundle, whatever its `type` (the sandbox omits it). */
function draftResources(bundle: Bundle<FhirResource> | undefined): FhirResource[] {
  const entries = Array.isArray(bundle?.entry) ? bundle.entry : [];
  return entries.map((e) => e?.resource).filter((r): r is FhirResource => typeof r?.resourceType === 'string');
}

function isSelected(resource: FhirResource, selections: ReadonlySet<string>): boolean {
  return resource.id !== undefined && selections.has(`${resource.resourceType}/${resource.id}`);
}

/** Analytes a lab order yields: via the workup panel code (e.g. CBC) or any tracked LOINC code. */
function analytesOrderedBy(request: ServiceRequest): Analyte[] {
  const out = new Set<Analyte>();
  for (const coding of codingsOf(request.code)) {
    if (!coding || typeof coding.code !== 'string' || systemKeyOf(coding.system) !== 'loinc') continue;
    const code = coding.code.trim();
    const panel = WORKUP_PANEL.find((item) => item.loinc === code);
    for (const analyte of panel?.covers ?? []) out.add(analyte);
    const lab = LAB_INDEX.match(coding);
    if (lab) out.add(lab.analyte);
  }
  return [...out];
}

function conceptText(concept: CodeableConcept | undefined): string | undefined {
  if (typeof concept?.text === 'string' && concept.text) return concept.text;
  return codingsOf(concept).find((c) => typeof c?.display === 'string' && c.display)?.display;
}

/**
 * The treatment a draft MedicationRequest names and the name to show for it: the first of its
 * medication concepts (src/features/fhir.ts: inline, a contained Medication and its ingredients, the
 * reference's display) that names one.
 */
function namedTreatment(request: MedicationRequest): { treatment?: TreatmentDrug; text?: string } {
  for (const concept of medicationConcepts(request)) {
    const treatment = matchTreatmentConcept(concept);
    if (treatment) {
      const text = conceptText(concept);
      return text ? { treatment, text } : { treatment };
    }
  }
  return {};
}

/** The analytes whose result or draft order stands for this panel item (INR for PT and vice versa). */
function itemAnalytes(item: WorkupItem): readonly Analyte[] {
  return item.sameTestAs ? [...item.covers, ...item.sameTestAs] : item.covers;
}

/** A result inside the window, in any unit (an sCD25 from a pg/mL assay counts as done). */
function resultedRecently(evaluation: Evaluation, item: WorkupItem, windowMs: number): boolean {
  const { labs, altUnitLabs, nowEpochMs } = evaluation.timeline;
  return itemAnalytes(item).some((analyte) =>
    [labs[analyte], altUnitLabs?.[analyte]].some((series) =>
      series?.values.some((v) => v.epochMs <= nowEpochMs && v.epochMs >= nowEpochMs - windowMs),
    ),
  );
}

/** One evidence line for order-select: the latest ferritin with its course (else none). */
function oneEvidenceLine(evaluation: Evaluation): string | undefined {
  const ferritin = latestFerritin(evaluation);
  if (!ferritin) return undefined;
  return `Latest: ${labLine(ferritin, evaluation.timeline, evaluation.ferritinCourse ? courseText(evaluation.ferritinCourse) : undefined)}.`;
}

function panelComplementCard(
  evaluation: Evaluation,
  ctx: OrderSelectContext,
  selectedLabs: Analyte[],
  draftedAnalytes: ReadonlySet<Analyte>,
  newId: () => string,
): CdsCard | undefined {
  const hours = recentResultHours(ctx.thresholds);
  const windowMs = hours * HOUR_MS;
  const pending = pendingAnalytes(ctx);
  const drafted = WORKUP_PANEL.filter((item) => itemAnalytes(item).some((a) => draftedAnalytes.has(a)));
  const ordered = WORKUP_PANEL.filter((item) => !drafted.includes(item) && itemAnalytes(item).some((a) => pending.has(a)));
  const recent = WORKUP_PANEL.filter((item) => !drafted.includes(item) && !ordered.includes(item) && resultedRecently(evaluation, item, windowMs));
  // PT and INR come from one test: suggest it once, as INR (the value the criteria grade).
  const open = WORKUP_PANEL.filter((item) => !drafted.includes(item) && !ordered.includes(item) && !recent.includes(item));
  const rest = open.filter((item) => !(item.analyte === 'pt' && open.some((o) => o.analyte === 'inr')));
  if (rest.length === 0) return undefined;

  const name = syndrome(evaluation);
  const reason = `${name} workup, ${dayPhrase(evaluation)}: completes the panel`;
  const { suggestions, meta } = workupSuggestions(rest, ctx.patientId, reason, newId);
  const names = rest.map(labName);
  const selectedNames = [...new Set(selectedLabs.map((a) => ANALYTE_LABEL[a]))];
  const detail = fitDetail(
    [
      partialDataBanner(ctx),
      `**${escapeMarkdown(capitalize(dayPhrase(evaluation)))}:** ordering ${selectedNames.join(', ')}. The rest of the ${name} panel is neither ordered nor resulted in the last ${hours} h: ${listWithMore(names, 6)}.`,
    ],
    [],
    [
      oneEvidenceLine(evaluation),
      [
        drafted.length ? `In this order: ${listWithMore(drafted.map(labName), 4)}.` : '',
        ordered.length ? `Ordered, pending: ${listWithMore(ordered.map(labName), 4)}.` : '',
        recent.length ? `Resulted in the last ${hours} h: ${listWithMore(recent.map(labName), 4)}.` : '',
      ].filter(Boolean).join(' ') || undefined,
    ],
    ORDER_SELECT_DETAIL_MAX,
  );
  const card: CdsCard = {
    uuid: newId(),
    summary: fitSummary(`${name} workup, ${dayPhrase(evaluation)}`, [`: also consider ${listWithMore(names, 4)}`]),
    detail,
    indicator: 'info',
    source: cardSource(ctx, TOPIC.orderSelect, evaluation),
    suggestions,
    selectionBehavior: 'any',
    overrideReasons: ALERT_OVERRIDE_REASONS,
    links: cardLinks(ctx),
  };
  return withCardMeta(card, {
    cardType: 'order-panel-complement',
    episode: episodeKey(evaluation),
    tier: 'info',
    met: metSignature(evaluation),
    suggestions: meta,
    suggestionsOnly: true,
  });
}

function il6Card(evaluation: Evaluation, ctx: OrderSelectContext, drugs: string[], newId: () => string): CdsCard {
  const activeCrs = overlapsCrs(evaluation);
  const name = syndrome(evaluation);
  const drugList = drugs.map((d) => escapeMarkdown(d.slice(0, 60))).join(', ');
  const why = activeCrs
    ? `HLH-like features overlapping active CRS. IL-6 blockade (${drugList}) may treat the CRS; it is not ${name}-directed therapy.`
    : `Possible ${name} with no active CRS. IL-6 blockade (${drugList}) alone is not expected to treat it.`;
  const detail = fitDetail(
    [partialDataBanner(ctx), `**${why}**`, escapeMarkdown(`${capitalize(dayPhrase(evaluation))}.`)],
    [],
    [oneEvidenceLine(evaluation), `**Instead (text, not an order):** ${firstLineAlternatives(evaluation)}`],
    ORDER_SELECT_DETAIL_MAX,
  );
  const ferritin = ferritinPhrase(evaluation);
  const latest = latestFerritin(evaluation);
  const summary = activeCrs
    ? fitSummary(`IL-6 blockade may treat the active CRS but is not ${name}-directed therapy`, [` (${dayPhrase(evaluation)})`])
    : fitFirst(`IL-6 blockade alone is not expected to treat ${name === 'IEC-HS' ? 'IEC-HS' : 'this HLH-like syndrome'}`, [
        ...(ferritin ? [` (${ferritin}; ${dayPhrase(evaluation)}, no active CRS)`] : []),
        ...(latest ? [` (ferritin ${formatLab(latest)}, ${dayPhrase(evaluation)}, no active CRS)`] : []),
        ` (${dayPhrase(evaluation)}, no active CRS)`,
      ]);
  const tier = activeCrs ? 'info' : 'warning';
  const card: CdsCard = {
    uuid: newId(),
    summary,
    detail,
    indicator: tier,
    source: cardSource(ctx, TOPIC.orderSelect, evaluation),
    overrideReasons: IL6_OVERRIDE_REASONS,
    links: cardLinks(ctx),
  };
  return withCardMeta(card, {
    cardType: activeCrs ? 'order-il6-overlap-crs' : 'order-il6-not-iec-hs',
    episode: episodeKey(evaluation),
    tier,
    met: metSignature(evaluation),
    suggestions: [],
  });
}

export function buildOrderSelectCards(evaluation: Evaluation, ctx: OrderSelectContext, newId: () => string): CdsCard[] {
  if (!evaluation.watched) return [];
  const selections = new Set(ctx.selections);
  const drafts = draftResources(ctx.draftOrders);
  const selected = drafts.filter((r) => isSelected(r, selections));
  if (selected.length === 0) return [];

  const panelAnalytes = new Set(WORKUP_PANEL.flatMap((item) => item.covers));
  const draftedAnalytes = new Set(
    drafts.filter((r): r is ServiceRequest => r.resourceType === 'ServiceRequest').flatMap(analytesOrderedBy),
  );
  const selectedLabs = selected
    .filter((r): r is ServiceRequest => r.resourceType === 'ServiceRequest')
    .flatMap(analytesOrderedBy)
    .filter((a) => panelAnalytes.has(a));

  const il6Drugs = selected
    .filter((r): r is MedicationRequest => r.resourceType === 'MedicationRequest')
    .map(namedTreatment)
    .filter(({ treatment }) => treatment?.class === 'il6-blockade')
    .map(({ treatment, text }) => text ?? treatment?.drug ?? 'IL-6 blocker');

  const cards: CdsCard[] = [];
  if (il6Drugs.length > 0 && picturePresent(evaluation)) cards.push(il6Card(evaluation, ctx, il6Drugs, newId));
  if (selectedLabs.length > 0) {
    const card = panelComplementCard(evaluation, ctx, selectedLabs, draftedAnalytes, newId);
    if (card) cards.push(card);
  }
  return cards;
}
