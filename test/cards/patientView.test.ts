/**
 * patient-view cards (service iec-hs-surveillance): tier matrix, summary length and content, detail
 * sections, escaping of EHR text, suggestions, links, override reasons, source.
 * Rules: DESIGN.md "Contracts" (Cards) and "Clinical engine stance"; cds-hooks.md A.3 and checklist 22-31.
 */
import { marked } from 'marked';
import fc from 'fast-check';
import type { ServiceRequest } from 'fhir/r4';
import { patientViewCards, readCardMeta, type CardContext } from '../../src/cards/index.js';
import type { CdsCard } from '../../src/cards/cdsHooks.js';
import { escapeMarkdown } from '../../src/cards/markdown.js';
import { OVERRIDE_REASON_SYSTEM } from '../../src/cards/namespace.js';
import type { Analyte } from '../../src/features/types.js';
import { WORKUP_PANEL } from '../../src/terminology/index.js';
import { assessment, criterion, evaluation, lab, sequentialIds, type EvaluationOptions } from './builders.js';
import { expectValidCards } from './cardChecks.js';

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
  return cards;
}

describe('tier matrix', () => {
  const rows: [string, EvaluationOptions, Partial<CardContext>, string[]][] = [
    ['no immune effector cell therapy', { infused: false, watched: false, picture: true, severe: true, workupDue: ['ferritin'] }, {}, []],
    ['outside the watch window (day 150)', { day: 150, watched: false, picture: true, workupDue: ['ferritin'] }, {}, []],
    ['watched, nothing due, picture absent', { day: 9 }, {}, []],
    ['watched, ferritin due', { day: 9, workupDue: ['ferritin'] }, {}, ['info']],
    ['watched, partial data only', { day: 9 }, { partialData: { missing: ['Observation'] } }, ['info']],
    ['severe organ value without the picture', { day: 9, severe: true }, {}, ['info']],
    ['IEC-HS picture', { picture: true }, {}, ['warning']],
    ['IEC-HS picture with workup due', { picture: true, workupDue: ['triglycerides'] }, {}, ['warning']],
    ['IEC-HS picture with severe organ dysfunction', { picture: true, severe: true }, {}, ['critical']],
  ];
  it.each(rows)('%s', (_name, o, extra, indicators) => {
    expect(run(o, extra).map((c) => c.indicator)).toEqual(indicators);
  });

  it('ASTCT set with insufficient data gives an info card even with nothing due', () => {
    const ev = evaluation({ day: 9, labs: [] });
    expect(ev.assessments[0].status).toBe('insufficient-data');
    expect(patientViewCards(ev, ctx()).map((c) => c.indicator)).toEqual(['info']);
  });
});

describe('summary', () => {
  it('warning: what, which day, the driving value', () => {
    const [card] = run({ picture: true });
    expect(card.summary).toBe('Possible IEC-HS, day 11 after CAR-T: ferritin 12,400 ng/mL (8.3x baseline)');
  });

  it('critical names the worst organ grade', () => {
    const [card] = run({ picture: true, severe: true });
    expect(card.summary).toMatch(/^Possible IEC-HS with grade 3 AST, day 11 after CAR-T: ferritin 12,400 ng\/mL/);
  });

  it('info card lists due labs and says the criteria are not met next to a severe value', () => {
    const [card] = run({ day: 9, severe: true, workupDue: ['ferritin', 'fibrinogen'] });
    expect(card.summary).toBe('IEC-HS watch, day 9 after CAR-T: ferritin, fibrinogen due; grade 3 AST, IEC-HS criteria not met');
  });

  it('stays under 140 characters for long inputs, and keeps the IEC-HS rule (property)', () => {
    const analytes = WORKUP_PANEL.map((i) => i.analyte);
    fc.assert(
      fc.property(
        fc.record({
          picture: fc.boolean(),
          severe: fc.boolean(),
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
            workupDue: r.due as Analyte[],
            product: r.product,
            labs: [{ analyte: 'ferritin', unit: 'ng/mL', values: [lab('ferritin', r.ferritin, r.day, 1)], baseline: lab('ferritin', 3, -1) }],
          });
          const cards = patientViewCards(ev, ctx(r.partial ? { partialData: { missing: r.partial } } : {}));
          expectValidCards(cards, ev);
          for (const card of cards) expect(card.summary.length).toBeLessThan(140);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('detail', () => {
  const [card] = run(
    {
      picture: true,
      crs: [{ onsetDay: 2, abatementDay: 6, active: false, grade: 2, source: 'Condition/crs' }],
      treatments: [{ class: 'il6-blockade', drug: 'tocilizumab', day: 3, kind: 'given', source: 'MedicationAdministration/t1' }],
    },
    { timelineBaseUrl: 'https://cds.example.org/timeline', serviceBaseUrl: 'https://cds.example.org/' },
  );
  const detail = card.detail ?? '';

  it('evidence table: value, unit, range, date, day, change from baseline and since the last value', () => {
    expect(detail).toContain('| Lab | Latest | Reference range | Day (drawn) | vs baseline | Since last value |');
    expect(detail).toContain('| Ferritin | 12,400 ng/mL H | 24-336 | 11 (2026-05-12 08:00) | 8.3x (1,500, day -1) | +8,200 (day 9) |');
    expect(detail).toContain('| Fibrinogen | 140 mg/dL L | 200-400 | 11 (2026-05-12 08:00) | −63% (380, day -1) | −240 (day -1) |');
  });

  it('leads with the verdict: day after infusion, the ASTCT result (UNVERIFIED) and no IEC-HS grade', () => {
    expect(detail).toMatch(/^\*\*Day 11 after infusion\*\* .*\*\*ASTCT IEC-HS framework \(UNVERIFIED thresholds\): met:\*\* .*No IEC-HS grade is assigned/);
    expect(detail.indexOf('ASTCT IEC-HS framework')).toBeLessThan(detail.indexOf('#### Evidence'));
  });

  it('CRS timing and treatments', () => {
    expect(detail).toContain('CRS grade 2: onset day 2, resolved day 6.');
    expect(detail).toContain('Treatments recorded: tocilizumab given day 3.');
  });

  it('every criteria set side by side, unverified ones labelled', () => {
    expect(detail).toMatch(/\| ASTCT IEC-HS framework \(UNVERIFIED thresholds\) \| \*\*met\*\* \|/);
    expect(detail).toMatch(/\| CARHLH \| not met \|/);
    expect(detail).toMatch(/\| HSCORE \| insufficient data \| .*HScore: 120\/337, probability 5%/);
    expect(detail).toContain('✔ **met**: Ferritin > 2x ULN and rising (UNVERIFIED threshold)');
  });

  it('management as text: cornerstone, first line, refractory, IL-6 wording, infection, no doses', () => {
    const management = detail.slice(detail.indexOf('Management to consider'));
    expect(management).toMatch(/Corticosteroids are the cornerstone, with anakinra\*\*, first line/);
    expect(management).toMatch(/ruxolitinib or emapalumab/);
    expect(management).toMatch(/IL-6 blockade alone is not IEC-HS-directed therapy\*\*; it may still be given for overlapping CRS/);
    expect(management).toMatch(/Evaluate for infection and disease progression/);
    expect(management).toContain('UNVERIFIED');
    expect(management).not.toMatch(/\d\s*(mg|g|mg\/kg|mg\/m2|mg\/m²)\b/i);
  });

  it('links: guideline DOI, patient timeline, source attributes', () => {
    expect(card.links).toEqual([
      { label: 'ASTCT IEC-HS consensus (Hines 2023)', url: 'https://doi.org/10.1016/j.jtct.2023.03.006', type: 'absolute' },
      { label: 'IEC-HS timeline for this patient', url: 'https://cds.example.org/timeline?patient=p1', type: 'absolute' },
      {
        label: 'About this alert (source attributes)',
        url: 'https://cds.example.org/cds-services/iec-hs-surveillance/source-attributes',
        type: 'absolute',
      },
    ]);
  });

  it('source with topic, override reasons with one system of ours', () => {
    expect(card.source).toEqual({
      label: 'IEC-HS CDS, after ASTCT 2023 (Hines et al.)',
      url: 'https://cds.example.org/cds-services/iec-hs-surveillance/source-attributes',
      topic: expect.objectContaining({ code: 'iec-hs-surveillance' }),
    });
    expect(card.overrideReasons?.map((r) => r.code)).toEqual([
      'managed-by-cell-therapy-team',
      'alternative-explanation',
      'not-clinically-relevant-now',
    ]);
    for (const reason of card.overrideReasons ?? []) expect(reason.system).toBe(OVERRIDE_REASON_SYSTEM);
  });

  it('lists each missing data item once across criteria sets and the due list', () => {
    const [c] = run({ picture: true, workupDue: ['triglycerides'] });
    const missing = (c.detail ?? '').split('#### Missing or stale data')[1].split('####')[0];
    expect(missing.match(/triglycerides/g)).toHaveLength(1);
    expect(missing).toContain('- triglycerides: no recent result');
  });

  it('info cards carry no treatment text', () => {
    const [info] = run({ day: 9, workupDue: ['ferritin'] });
    expect(info.detail).not.toContain('Management to consider');
  });

  it('the patient id in the timeline link is URL-encoded', () => {
    const [c] = run({ picture: true }, { patientId: 'a b&c', timelineBaseUrl: 'https://x.example/t?site=1' });
    expect(c.links?.[1].url).toBe('https://x.example/t?site=1&patient=a%20b%26c');
  });
});

describe('partial data', () => {
  it('says the answer rests on incomplete data and what was missing', () => {
    const [card] = run({ picture: true }, { partialData: { missing: ['Observation (timeout)', 'MedicationAdministration'] } });
    expect(card.detail).toMatch(/^\*\*Based on incomplete data\.\*\* .*missing: Observation \(timeout\), MedicationAdministration/);
    expect(card.detail).toContain('MedicationAdministration (not retrieved)');
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
  const [card] = patientViewCards(ev, ctx({ partialData: { missing: [hostile] } }));
  const html = marked.parse(card.detail ?? '', { async: false });

  it('renders no HTML, link, emphasis or heading from the EHR text', () => {
    expectValidCards([card], ev);
    expect(html).not.toMatch(/<script|<img|<h1|<strong>bold/);
    // The EHR's URL and markdown link stay text.
    expect(html).not.toMatch(/<a /);
    expect(html).toContain('[x](javascript:alert(1)) http://evil.example');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('**bold**');
  });

  it('keeps the tables intact (pipes escaped, no line breaks inside a row)', () => {
    const criteriaRow = (card.detail ?? '').split('\n').find((l) => l.startsWith('| ASTCT'));
    expect(criteriaRow).toBeDefined();
    // 4 columns => 5 unescaped pipes.
    expect(criteriaRow?.match(/(?<!\\)\|/g)).toHaveLength(5);
  });
});

describe('workup suggestions', () => {
  const due: Analyte[] = ['ferritin', 'fibrinogen', 'platelets'];
  const [card] = run({ day: 9, workupDue: due }, { patientId: 'pat-42' });

  it('one draft ServiceRequest per lab plus one for the whole set, any may be chosen', () => {
    expect(card.selectionBehavior).toBe('any');
    expect(card.suggestions?.map((s) => s.label)).toEqual([
      'Order ferritin (LOINC 2276-4)',
      'Order fibrinogen (LOINC 3255-7)',
      'Order CBC (LOINC 58410-2)',
      'Order all 3 labs above',
    ]);
    const resources = (card.suggestions ?? []).flatMap((s) => s.actions ?? []).map((a) => a.resource as ServiceRequest);
    expect(resources).toHaveLength(6);
    for (const r of resources) {
      expect(r).toMatchObject({ resourceType: 'ServiceRequest', status: 'draft', intent: 'order', subject: { reference: 'Patient/pat-42' } });
      expect(r.code?.coding?.[0].system).toBe('http://loinc.org');
    }
    expect(resources.slice(0, 3).map((r) => r.code?.coding?.[0].code)).toEqual(['2276-4', '3255-7', '58410-2']);
  });

  it('uuids are unique and the card meta maps each suggestion to its LOINC codes', () => {
    const ids = [card.uuid, ...(card.suggestions ?? []).map((s) => s.uuid)];
    expect(new Set(ids).size).toBe(ids.length);
    const meta = readCardMeta(card);
    expect(meta).toMatchObject({ cardType: 'iec-hs-watch', episode: '2026-05-01', tier: 'info', suggestionsOnly: true });
    expect(meta?.suggestions.map((s) => s.loinc)).toEqual([['2276-4'], ['3255-7'], ['58410-2'], ['2276-4', '3255-7', '58410-2']]);
  });

  it('a single due lab gets no "order all" suggestion', () => {
    const [one] = run({ day: 9, workupDue: ['ferritin'] });
    expect(one.suggestions).toHaveLength(1);
  });

  it('the IEC-HS card carries the due labs too', () => {
    const [alert] = run({ picture: true, workupDue: ['triglycerides'] });
    expect(alert.suggestions?.[0].actions?.[0].resource).toMatchObject({ code: { coding: [{ code: '2571-8' }] } });
  });
});
