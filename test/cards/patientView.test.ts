/**
 * patient-view cards (service iec-hs-surveillance): tier from the engine's typed verdict (and the
 * fallback for evaluations without it), summary length and content, the short detail (verdict, at most
 * five evidence lines, next step by treatment state, missing line, threshold status), exposure and
 * overlap wording, pending orders, escaping of EHR text, suggestions, links, override reasons, source.
 * Rules: docs of the CDS Hooks 2.0 card contract (summary < 140 characters, markdown detail) and the
 * ASTCT IEC-HS consensus treatment stance (Hines et al. 2023, doi:10.1016/j.jtct.2023.03.006).
 */
import { marked } from 'marked';
import fc from 'fast-check';
import type { ServiceRequest } from 'fhir/r4';
import { PATIENT_VIEW_DETAIL_MAX, patientViewCards, readCardMeta, type CardContext } from '../../src/cards/index.js';
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import { escapeMarkdown } from '../../src/cards/markdown.js';
import { OVERRIDE_REASON_SYSTEM } from '../../src/cards/namespace.js';
import type { TreatmentState } from '../../src/criteria/types.js';
import type { Analyte } from '../../src/features/types.js';
import { WORKUP_PANEL } from '../../src/terminology/index.js';
import { assessment, courseOf, criterion, evaluation, lab, sequentialIds, series, type EvaluationOptions } from './builders.js';
import { expectValidCards } from './cardChecks.js';
import { internalTextProblems } from './textChecks.js';

const LAUNCH = 'https://cds.example.org/app/launch.html';

const ctx = (extra: Partial<CardContext> = {}): CardContext => ({
  serviceId: 'iec-hs-surveillance',
  patientId: 'p1',
  now: '2026-05-12T10:00:00Z',
  newId: sequentialIds(),
  ...extra,
});

function run(o: EvaluationOptions, extra: Partial<CardContext> = {}): CdsCard[] {
  const ev = evaluation(o);
  const cards = patientViewCards(ev, ctx(extra));
  expectValidCards(cards, ev);
  for (const card of cards) {
    expect((card.detail ?? '').length).toBeLessThanOrEqual(PATIENT_VIEW_DETAIL_MAX);
    expect(internalTextProblems(card)).toEqual([]);
  }
  return cards;
}

const detailOf = (o: EvaluationOptions, extra: Partial<CardContext> = {}): string => run(o, extra)[0]?.detail ?? '';
const section = (detail: string, label: string): string => detail.split(`**${label}`)[1]?.split('\n\n')[0] ?? '';

describe('tier matrix (engine verdict)', () => {
  const rows: [string, EvaluationOptions, Partial<CardContext>, string[]][] = [
    ['no immune effector cell therapy', { infused: false, watched: false, picture: true, severe: true, workupDue: ['ferritin'] }, {}, []],
    ['outside the watch window (day 150)', { day: 150, watched: false, picture: true, workupDue: ['ferritin'] }, {}, []],
    ['watched, tier none', { day: 9 }, {}, []],
    ['watched, ferritin due', { day: 9, workupDue: ['ferritin'] }, {}, ['info']],
    ['watched, partial data only', { day: 9 }, { partialData: { missing: ['Observation'] } }, ['info']],
    ['severe organ value without the picture (watch: organ-value)', { day: 9, severe: true }, {}, ['info']],
    ['ferritin elevated but falling (watch)', { day: 14, watchReasons: ['ferritin-falling'] }, {}, ['info']],
    ['IEC-HS picture', { picture: true }, {}, ['warning']],
    ['IEC-HS picture with workup due', { picture: true, workupDue: ['triglycerides'] }, {}, ['warning']],
    ['IEC-HS picture with severe organ dysfunction', { picture: true, severe: true }, {}, ['critical']],
    ['the engine tier wins over the legacy boolean', { picture: true, tier: 'watch', watchReasons: ['ferritin-falling'] }, {}, ['info']],
    ['only due labs, all ordered and pending: nothing left to say', { day: 9, workupDue: ['ferritin'] }, { pendingOrders: [{ loinc: '2276-4', orderedAt: '2026-05-12T09:12:00Z' }] }, []],
  ];
  it.each(rows)('%s', (_name, o, extra, indicators) => {
    expect(run(o, extra).map((c) => c.indicator)).toEqual(indicators);
  });
});

describe('fallback for evaluations without the typed verdict (old engine): reads only engine booleans', () => {
  const rows: [string, EvaluationOptions, string[]][] = [
    ['picture', { legacy: true, picture: true }, ['warning']],
    ['picture + severe', { legacy: true, picture: true, severe: true }, ['critical']],
    ['severe only', { legacy: true, day: 9, severe: true }, ['info']],
    ['workup due', { legacy: true, day: 9, workupDue: ['ferritin'] }, ['info']],
    ['nothing', { legacy: true, day: 9 }, []],
  ];
  it.each(rows)('%s', (_name, o, indicators) => {
    expect(run(o).map((c) => c.indicator)).toEqual(indicators);
  });

  it('ASTCT set with insufficient data gives an info card even with nothing due', () => {
    const ev = evaluation({ legacy: true, day: 9, labs: [] });
    expect(ev.assessments[0]?.status).toBe('insufficient-data');
    expect(patientViewCards(ev, ctx()).map((c) => c.indicator)).toEqual(['info']);
  });

  it('without worstOrgan the critical card names no organ (no re-grading in cards)', () => {
    const [card] = run({ legacy: true, picture: true, severe: true });
    expect(card?.summary).toMatch(/^Possible IEC-HS with severe organ dysfunction, day 11 after CAR-T/);
  });
});

describe('summary', () => {
  it('warning: what, which day, the latest ferritin with day and direction', () => {
    expect(run({ picture: true })[0]?.summary).toBe('Possible IEC-HS, day 11 after CAR-T: ferritin 12,400 ng/mL today, rising from 4,200 on day 9');
  });

  it('a falling tail quotes the latest value and the peak it falls from', () => {
    const labs = [series('ferritin', [[-1, 300], [3, 8600], [8, 2800], [14, 520]])];
    const [card] = run({ day: 14, labs, watchReasons: ['ferritin-falling'] });
    expect(card?.summary).toBe('IEC-HS watch, day 14 after CAR-T: ferritin 520 ng/mL today, falling from 8,600 on day 3 (elevated but falling)');
  });

  it('critical names the worst organ grade from the engine', () => {
    expect(run({ picture: true, severe: true })[0]?.summary).toMatch(/^Possible IEC-HS with grade 3 AST, day 11 after CAR-T: ferritin 12,400 ng\/mL today/);
  });

  it.each([
    ['the engine names the sign (fibrinogen-low), the criterion has its own id', 'astct-fibrinogen'],
    ['sign and criterion share the id', 'fibrinogen-low'],
  ])('a specific sign follows the ferritin: %s', (_name, criterionId) => {
    const ev = evaluation({ picture: true, specificSigns: ['fibrinogen-low', 'ferritin-rise'] });
    ev.assessments[0]?.criteria.push(criterion(criterionId, 'met', { role: 'core', evidence: [{ label: 'x', value: lab('fibrinogen', 140, 11) }] }));
    expect(patientViewCards(ev, ctx())[0]?.summary).toBe('Possible IEC-HS, day 11 after CAR-T: ferritin 12,400 ng/mL today, rising from 4,200 on day 9, fibrinogen 140 mg/dL');
  });

  it('a sign the engine did not name is not quoted (the card does not judge values)', () => {
    const ev = evaluation({ picture: true, specificSigns: ['ferritin-rise'] });
    ev.assessments[0]?.criteria.push(criterion('astct-fibrinogen', 'met', { role: 'core', evidence: [{ label: 'x', value: lab('fibrinogen', 140, 11) }] }));
    expect(patientViewCards(ev, ctx())[0]?.summary).toBe('Possible IEC-HS, day 11 after CAR-T: ferritin 12,400 ng/mL today, rising from 4,200 on day 9');
  });

  it('info card lists due labs and says the criteria are not met next to a severe value', () => {
    expect(run({ day: 9, severe: true, workupDue: ['ferritin', 'fibrinogen'] })[0]?.summary).toBe(
      'IEC-HS watch, day 9 after CAR-T: ferritin, fibrinogen due; grade 3 AST, IEC-HS criteria not met',
    );
  });

  it('stays under 140 characters for long inputs, and keeps the IEC-HS rule (property)', () => {
    const analytes = WORKUP_PANEL.map((i) => i.analyte);
    fc.assert(
      fc.property(
        fc.record({
          picture: fc.boolean(),
          severe: fc.boolean(),
          overlap: fc.boolean(),
          tce: fc.boolean(),
          day: fc.integer({ min: 0, max: 99_999 }),
          ferritin: fc.double({ min: 0.001, max: 1e12, noNaN: true }),
          due: fc.subarray(analytes),
          product: fc.string({ maxLength: 400 }),
          partial: fc.option(fc.array(fc.string({ maxLength: 80 }), { maxLength: 5 }), { nil: undefined }),
        }),
        (r) => {
          const ev = evaluation({
            day: r.day,
            picture: r.picture,
            severe: r.severe,
            overlappingCrs: r.picture && r.overlap,
            workupDue: r.due,
            product: r.product,
            ...(r.tce ? { exposure: 't-cell-engager' as const } : {}),
            labs: [{ analyte: 'ferritin', unit: 'ng/mL', values: [lab('ferritin', 3, -1), lab('ferritin', r.ferritin, r.day, 1)], baseline: lab('ferritin', 3, -1) }],
          });
          const cards = patientViewCards(ev, ctx(r.partial ? { partialData: { missing: r.partial } } : {}));
          expectValidCards(cards, ev);
          for (const card of cards) {
            expect(card.summary.length).toBeLessThan(140);
            expect((card.detail ?? '').length).toBeLessThanOrEqual(PATIENT_VIEW_DETAIL_MAX);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('detail: short, in reading order', () => {
  const o: EvaluationOptions = {
    picture: true,
    timeZone: 'America/New_York',
    product: 'axi-cel',
    crs: [{ onsetDay: 2, abatementDay: 6, active: false, grade: 2, source: 'Condition/crs' }],
    treatments: [{ class: 'il6-blockade', drug: 'tocilizumab', day: 3, kind: 'given', source: 'MedicationAdministration/t1' }],
  };
  const detail = detailOf(o, { timelineBaseUrl: 'https://cds.example.org/timeline', serviceBaseUrl: 'https://cds.example.org/' });

  it('leads with one verdict line: headline, day, product, latest key values with direction, the rule that fired', () => {
    expect(detail.split('\n\n')[0]).toBe(
      '**Possible IEC-HS**, day 11 after CAR-T (axi-cel): ferritin 12,400 ng/mL ↑ rising. Met: ASTCT IEC-HS framework.',
    );
  });

  it('evidence lines: value + unit, flag in words, reference range, day, direction', () => {
    const evidence = section(detail, 'Evidence:**');
    expect(evidence).toContain('- Ferritin 12,400 ng/mL, high (ref 24-336), day 11; ↑ rising from 4,200 (day 9)');
    expect(evidence).toContain('- CRS grade 2 from day 2, resolved day 6');
    expect(evidence).not.toMatch(/ [HL]\b/);
  });

  it('at most three evidence lines, the decisive ones first (specific signs, key and core criteria)', () => {
    const labs = [
      series('ferritin', [[-1, 1500], [9, 4200], [11, 12400]]),
      series('fibrinogen', [[9, 180], [11, 140]]),
      series('ast', [[9, 100], [11, 260]]),
      series('alt', [[11, 300]]),
      series('platelets', [[9, 80], [11, 40]]),
      series('creatinine', [[11, 2.1]]),
      series('triglycerides', [[11, 400]]),
    ];
    const ev = evaluation({ picture: true, labs, specificSigns: ['transaminases-5x', 'ferritin-rise'], crs: [{ onsetDay: 2, abatementDay: 6, active: false, source: 'Condition/crs' }] });
    const value = (a: Analyte) => ev.timeline.labs[a]?.values.at(-1);
    ev.assessments[0]?.criteria.push(
      criterion('cytopenia', 'met', { role: 'core', evidence: [{ label: 'p', value: value('platelets') }] }),
      criterion('astct-transaminases', 'met', { role: 'core', evidence: [{ label: 'a', value: value('ast') }] }),
      criterion('triglycerides', 'met', { role: 'supportive', evidence: [{ label: 't', value: value('triglycerides') }] }),
      criterion('fibrinogen-low', 'met', { role: 'core', evidence: [{ label: 'f', value: value('fibrinogen') }] }),
      criterion('creatinine', 'met', { role: 'core', evidence: [{ label: 'c', value: value('creatinine') }] }),
    );
    const lines = section(patientViewCards(ev, ctx())[0]?.detail ?? '', 'Evidence:**').split('\n').filter((l) => l.startsWith('- '));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^- Ferritin/);
    expect(lines[1]).toMatch(/^- AST 260 U\/L, high \(ref 10-40\), day 11; ↑ up from 100$/); // the specific sign first
    expect(lines.join('\n')).not.toContain('Triglycerides'); // supportive features are not what decided it
  });

  it('no tables, no treatment history, no IL-6 advice', () => {
    expect(detail).not.toMatch(/^\|/m);
    expect(detail).not.toMatch(/IL-?6|tocilizumab|siltuximab/i);
  });

  it('says what is missing in one line and gives the threshold status', () => {
    const d = detailOf({ picture: true, workupDue: ['triglycerides'] });
    expect(d).toContain('**Missing:** no recent result: triglycerides.');
    expect(d.split('\n\n').at(-1)).toBe('**Missing:** no recent result: triglycerides.  \nThresholds: unverified defaults, not site-approved.');
  });

  it('threshold status from configuration: site-approved by whom and when', () => {
    const d = detailOf({ picture: true }, { thresholdApproval: { by: 'Dr. A. Lee (CAR-T program)', date: '2026-11-02' } });
    expect(d.split('\n').at(-1)).toBe('Thresholds: site-approved by Dr. A. Lee (CAR-T program) on 2026-11-02.');
  });

  it('typed missing items with their reason, each item once, never parsed from prose', () => {
    const ev = evaluation({ picture: true, workupDue: ['triglycerides'] });
    ev.assessments[0]?.criteria.push(
      criterion('hemophagocytosis', 'insufficient-data', { missing: ['PROSE MUST NOT SHOW'], missingItems: [{ item: 'hemophagocytosis', reason: 'not-structured' }] }),
      criterion('tg', 'insufficient-data', { missingItems: [{ analyte: 'triglycerides', reason: 'stale' }, { analyte: 'ldh', reason: 'unconvertible' }] }),
    );
    const d = patientViewCards(ev, ctx())[0]?.detail ?? '';
    expect(d).toContain('**Missing:** no recent result: triglycerides; not coded: hemophagocytosis; unit not convertible: LDH.');
    expect(d).not.toContain('PROSE');
  });

  it('partial data: a banner and what was not retrieved', () => {
    const d = detailOf({ picture: true }, { partialData: { missing: ['Observation (timeout)', 'MedicationAdministration'] } });
    expect(d).toMatch(/^\*\*Based on incomplete data:\*\* /);
    expect(d).toContain('not retrieved: Observation (timeout), MedicationAdministration.');
  });

  it('evidence lines carry the day after infusion, no clock time (the timeline app has the times)', () => {
    expect(section(detailOf({ picture: true }), 'Evidence:**')).not.toMatch(/\d\d:\d\d/);
  });

  it('info cards carry no treatment text', () => {
    const info = detailOf({ day: 9, workupDue: ['ferritin'] });
    expect(info).not.toMatch(/corticosteroid|anakinra|ruxolitinib/i);
    expect(info).toContain('**Next step:** Order the due labs with the buttons below.');
  });

  it('the watch card for a falling tail says so and asks for repeat labs', () => {
    const labs = [series('ferritin', [[-1, 300], [3, 8600], [14, 520]])];
    const d = detailOf({ day: 14, labs, course: courseOf(labs[0], 'falling-tail'), watchReasons: ['ferritin-falling'] });
    expect(d.split('\n\n')[0]).toBe('**IEC-HS watch**, day 14 after CAR-T: ferritin 520 ng/mL ↓ falling.');
    expect(d).toContain('- Ferritin 520 ng/mL, high (ref 24-336), day 14; ↓ falling from 8,600 (day 3, peak)');
    expect(d).toContain('repeat ferritin, fibrinogen and blood counts');
  });
});

describe('next step by treatment state (text only, no IL-6 advice, no medication order)', () => {
  const none: TreatmentState = { corticosteroid: false, anakinra: false, refractoryTherapy: false, il6Blockade: false };
  const rows: [string, TreatmentState | undefined, RegExp][] = [
    ['nothing running', none, /^ Consider corticosteroids with anakinra \(first line\), with the cellular therapy team\. Evaluate for infection and progression\.$/],
    ['only IL-6 blockade given (for CRS)', { ...none, il6Blockade: true }, /^ Consider corticosteroids with anakinra \(first line\)/],
    ['steroids already running', { ...none, corticosteroid: true }, /^ Corticosteroids already running: consider escalating them and adding anakinra/],
    ['on anakinra and steroids', { ...none, corticosteroid: true, anakinra: true }, /^ Already on anakinra and corticosteroids: if not improving, consider refractory options \(ruxolitinib, emapalumab\)/],
    ['refractory therapy running', { ...none, corticosteroid: true, anakinra: true, refractoryTherapy: true }, /^ Refractory therapy is already running/],
    ['unknown (old engine)', undefined, /^ Consider corticosteroids with anakinra \(first line\); ruxolitinib or emapalumab if refractory/],
  ];
  it.each(rows)('%s', (_name, treatmentState, expected) => {
    const [card] = run({ picture: true, ...(treatmentState ? { treatmentState } : {}) });
    const next = section(card?.detail ?? '', 'Next step:**');
    expect(next).toMatch(expected);
    expect(next).not.toContain('\n'); // one paragraph of at most three short lines
    expect(next.length).toBeLessThanOrEqual(330);
    expect(next).not.toMatch(/IL-?6|tocilizumab|siltuximab|\d\s*(mg|g)\b/i);
    if (treatmentState?.corticosteroid) expect(next).not.toMatch(/Consider corticosteroids/);
    for (const action of (card?.suggestions ?? []).flatMap((s) => s.actions ?? [])) expect(action.resource?.resourceType).toBe('ServiceRequest');
  });
});

describe('exposure: T-cell engager therapy', () => {
  const o: EvaluationOptions = { picture: true, exposure: 't-cell-engager', product: 'teclistamab', day: 13 };

  it('speaks of an HLH-like syndrome after T-cell engager therapy, never CAR-T or IEC-HS', () => {
    const [card] = run(o, { smartAppLaunchUrl: LAUNCH });
    expect(card?.summary).toBe('Possible HLH-like syndrome after T-cell engager therapy (teclistamab), day 13: ferritin 12,400 ng/mL today, rising from 4,200 on day 11');
    expect(card?.detail?.split('\n\n')[0]).toMatch(/^\*\*Possible HLH-like syndrome after T-cell engager therapy \(teclistamab\)\*\*, day 13: /);
    const text = `${card?.source.label}\n${card?.summary}\n${card?.detail}\n${(card?.links ?? []).map((l) => l.label).join('\n')}\n${JSON.stringify(card?.suggestions ?? [])}`;
    expect(text).not.toMatch(/CAR-?T|IEC-HS/);
  });

  it('watch and critical cards too', () => {
    for (const extra of [{ picture: false, workupDue: ['ferritin'] as Analyte[] }, { severe: true }]) {
      const [card] = run({ ...o, ...extra });
      expect(`${card?.summary}\n${card?.detail}`).not.toMatch(/CAR-?T|IEC-HS/);
      expect(card?.summary).toMatch(/HLH-like syndrome/);
    }
  });
});

describe('overlap with active CRS', () => {
  const crs = [{ onsetDay: 4, active: true, grade: 3, source: 'Condition/crs' }];
  it('is labelled "HLH-like features overlapping active CRS" in summary and verdict, and the CRS stays managed', () => {
    const [card] = run({ picture: true, day: 6, crs, overlappingCrs: true, rule: 'carhlh' });
    expect(card?.summary).toMatch(/^HLH-like features overlapping active CRS \(possible IEC-HS\), day 6 after CAR-T/);
    expect(card?.detail).toMatch(/^\*\*HLH-like features overlapping active CRS \(possible IEC-HS\)\*\*, day 6 after CAR-T.*Met: CARTOX carHLH/);
    expect(card?.detail).toContain('- CRS grade 3 from day 4, still active');
    expect(card?.detail).toContain('CRS is still active: keep managing it by its grade');
    expect(card?.detail).not.toMatch(/IL-?6|tocilizumab/i);
  });

  it('T-cell engager overlap keeps its own wording', () => {
    const [card] = run({ picture: true, day: 6, crs, overlappingCrs: true, exposure: 't-cell-engager', product: 'glofitamab' });
    expect(card?.detail).toMatch(/^\*\*Possible HLH-like syndrome after T-cell engager therapy \(glofitamab\): HLH-like features overlapping active CRS\*\*/);
    expect(`${card?.summary}${card?.detail}`).not.toMatch(/CAR-?T|IEC-HS/);
  });
});

describe('pending orders (card memory): "ordered, pending", never due, never suggested again', () => {
  const pendingOrders = [{ loinc: '2276-4', orderedAt: '2026-05-12T13:12:00Z' }];

  it('alert card: listed as ordered with the site time, not as missing, not suggested', () => {
    const [card] = run({ picture: true, timeZone: 'America/New_York', workupDue: ['ferritin', 'triglycerides'] }, { pendingOrders });
    expect(card?.detail).toContain('**Missing:** no recent result: triglycerides.  \n**Ordered, pending:** ferritin (09:12 EDT).');
    const loinc = (card?.suggestions ?? []).flatMap((s) => s.actions ?? []).map((a) => (a.resource as ServiceRequest).code?.coding?.[0]?.code);
    expect(loinc).not.toContain('2276-4');
    expect(loinc).toContain('2571-8');
  });

  it('watch card: the summary does not call a pending lab due', () => {
    const [card] = run({ day: 9, workupDue: ['ferritin', 'fibrinogen'] }, { pendingOrders });
    expect(card?.summary).toBe('IEC-HS watch, day 9 after CAR-T: fibrinogen due');
    expect(card?.detail).toContain('**Ordered, pending:** ferritin (13:12 UTC).');
  });
});

describe('links', () => {
  it('every card links to the SMART app with type "smart" only; the source label links to the source attributes', () => {
    for (const o of [{ picture: true }, { picture: true, severe: true }, { day: 9, workupDue: ['ferritin'] as Analyte[] }]) {
      const [card] = run(o, { smartAppLaunchUrl: LAUNCH, timelineBaseUrl: 'https://cds.example.org/timeline', serviceBaseUrl: 'https://cds.example.org/' });
      expect(card?.links).toEqual([
        { label: 'Timeline and full evidence (SMART app)', url: LAUNCH, type: 'smart' },
      ]);
      expect(card?.source.url).toBe('https://cds.example.org/cds-services/iec-hs-surveillance/source-attributes');
    }
  });

  it('without a launch URL: the timeline page, patient id URL-encoded', () => {
    const [c] = run({ picture: true }, { patientId: 'a b&c', timelineBaseUrl: 'https://x.example/t?site=1' });
    expect(c?.links?.[0]).toEqual({ label: 'Timeline and full evidence for this patient', url: 'https://x.example/t?site=1&patient=a%20b%26c', type: 'absolute' });
  });

  it('source with topic, override reasons with one system of ours', () => {
    const [card] = run({ picture: true }, { serviceBaseUrl: 'https://cds.example.org/' });
    expect(card?.source).toEqual({
      label: 'IEC-HS CDS, after ASTCT 2023 (Hines et al.)',
      url: 'https://cds.example.org/cds-services/iec-hs-surveillance/source-attributes',
      topic: expect.objectContaining({ code: 'iec-hs-surveillance' }),
    });
    expect(card?.overrideReasons?.map((r) => r.code)).toEqual(['managed-by-cell-therapy-team', 'alternative-explanation', 'not-clinically-relevant-now']);
    for (const reason of card?.overrideReasons ?? []) expect(reason.system).toBe(OVERRIDE_REASON_SYSTEM);
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['a | b', 'a \\| b'],
    ['**x** _y_ `z` ~s~ [l]', '\\*\\*x\\*\\* \\_y\\_ \\`z\\` \\~s\\~ \\[l\\]'],
    ['<b>x</b> < 150 & more &amp;', '&lt;b>x&lt;/b> < 150 & more &amp;amp;'],
    ['line1\r\nline2\n\n# h', 'line1 line2 # h'],
    ['see https://x.example or www.y.example', 'see https\\://x.example or www\\.y.example'],
    ['back\\slash', 'back\\\\slash'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe('escaping of EHR-provided text', () => {
  const hostile = '<script>alert(1)</script> | **bold** [x](javascript:alert(1)) http://evil.example\n# heading <img src=x onerror=1>';
  const ev = evaluation({
    picture: true,
    product: hostile,
    treatments: [{ class: 'corticosteroid', drug: hostile, day: 10, kind: 'ordered', source: 'MedicationRequest/m' }],
    assessments: [
      assessment('astct-iec-hs', 'met', {
        summary: hostile,
        missing: [hostile],
        criteria: [criterion('ferritin-key', 'met', { label: hostile, evidence: [{ label: hostile, note: hostile }] })],
      }),
    ],
  });
  const [card] = patientViewCards(ev, ctx({ partialData: { missing: [hostile] }, thresholdApproval: { by: hostile, date: hostile } }));
  const html = marked.parse(card?.detail ?? '', { async: false });

  it('renders no HTML, link, emphasis or heading from the EHR text; stays inside the limit', () => {
    expectValidCards(card ? [card] : [], ev);
    expect(html).not.toMatch(/<script|<img|<h1|<strong>bold/);
    expect(html).not.toMatch(/<a /);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((card?.detail ?? '').length).toBeLessThanOrEqual(PATIENT_VIEW_DETAIL_MAX);
  });
});

describe('workup suggestions', () => {
  const due: Analyte[] = ['ferritin', 'fibrinogen', 'platelets'];
  const [card] = run({ day: 9, workupDue: due }, { patientId: 'pat-42' });

  it('one draft ServiceRequest per lab plus one for the whole set, short labels, any may be chosen', () => {
    expect(card?.selectionBehavior).toBe('any');
    expect(card?.suggestions?.map((s) => s.label)).toEqual(['Order ferritin', 'Order fibrinogen', 'Order CBC', 'Order all 3 due labs']);
    const resources = (card?.suggestions ?? []).flatMap((s) => s.actions ?? []).map((a) => a.resource as ServiceRequest);
    expect(resources).toHaveLength(6);
    for (const r of resources) {
      expect(r).toMatchObject({ resourceType: 'ServiceRequest', status: 'draft', intent: 'order', subject: { reference: 'Patient/pat-42' } });
      expect(r.code?.coding?.[0]?.system).toBe('http://loinc.org');
    }
    expect(resources.slice(0, 3).map((r) => r.code?.coding?.[0]?.code)).toEqual(['2276-4', '3255-7', '58410-2']);
  });

  it('uuids are unique and the card meta maps each suggestion to its LOINC codes', () => {
    const ids = [card?.uuid, ...(card?.suggestions ?? []).map((s) => s.uuid)];
    expect(new Set(ids).size).toBe(ids.length);
    const meta = card ? readCardMeta(card) : undefined;
    expect(meta).toMatchObject({ cardType: 'iec-hs-watch', episode: '2026-05-01', tier: 'info', suggestionsOnly: true });
    expect(meta?.suggestions.map((s) => s.loinc)).toEqual([['2276-4'], ['3255-7'], ['58410-2'], ['2276-4', '3255-7', '58410-2']]);
  });

  it('a single due lab gets no "order all" suggestion', () => {
    expect(run({ day: 9, workupDue: ['ferritin'] })[0]?.suggestions).toHaveLength(1);
  });

  it('the IEC-HS card carries the due labs too', () => {
    expect(run({ picture: true, workupDue: ['triglycerides'] })[0]?.suggestions?.[0]?.actions?.[0]?.resource).toMatchObject({ code: { coding: [{ code: '2571-8' }] } });
  });
});

describe('size limit under pressure', () => {
  it('keeps at least three evidence lines and the pending line; shortens the missing line first', () => {
    const many: Analyte[] = ['ferritin', 'fibrinogen', 'triglycerides', 'ast', 'alt', 'bilirubinTotal', 'bilirubinDirect', 'ldh', 'creatinine', 'platelets', 'crp', 'sil2r', 'ddimer', 'inr', 'aptt'];
    const labs = many.map((a, i) => series(a, [[9, 100 + i], [11, 200 + i]]));
    const ev = evaluation({ picture: true, labs, product: 'p'.repeat(300) });
    ev.assessments[0]?.criteria.push(
      ...many.map((a) => criterion(`c-${a}`, 'met', { role: 'core', evidence: [{ label: a, value: ev.timeline.labs[a]?.values.at(-1) }] })),
      criterion('gaps', 'insufficient-data', { missingItems: many.map((analyte) => ({ analyte, reason: 'stale' as const })) }),
    );
    const [card] = patientViewCards(ev, ctx({
      partialData: { missing: ['conditions (timeout)', 'diagnosticReports (timeout)', 'medicationRequests (truncated)'] },
      pendingOrders: [{ loinc: '2571-8', orderedAt: '2026-05-12T09:00:00Z' }],
      thresholdApproval: { by: 'x'.repeat(300), date: '2026-11-02' },
    }));
    const detail = card?.detail ?? '';
    expect(detail.length).toBeLessThanOrEqual(PATIENT_VIEW_DETAIL_MAX);
    expect(section(detail, 'Evidence:**').split('\n').filter((l) => l.startsWith('- ')).length).toBeGreaterThanOrEqual(3);
    expect(detail).toContain('**Ordered, pending:** triglycerides (09:00 UTC).');
    expect(detail).toMatch(/Thresholds: site-approved by x+ on 2026-11-02\.$/);
  });
});
