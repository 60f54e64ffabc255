/** FHIR date/dateTime parsing: the hand-rolled fast path must give exactly Date.parse's answer. */
import fc from 'fast-check';
import { epochOf, parseFhirTime, precisionOf } from '../../src/features/time.js';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** What the engine read before the fast path: Date.parse, with `Z` added when no offset is given. */
function viaDateParse(value: string): number {
  if (value.length === 10) return Date.parse(value);
  return Date.parse(/(?:Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
}

const dateArb = fc
  .record({
    // Every four-digit year (0000-0099 included: Date.UTC would read those as 19xx); 1900-2100 is where real data lives.
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1900, max: 2100 })),
    month: fc.integer({ min: 1, max: 12 }),
    // 29-31 in every month: leap days and dates the calendar does not have (2023-02-30).
    day: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 28, max: 31 })),
  })
  .map(({ year, month, day }) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`);

const dateTimeArb = fc
  .record({
    date: dateArb,
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.option(fc.integer({ min: 0, max: 59 }), { nil: undefined }),
    fraction: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
    offset: fc.oneof(
      fc.constant(''),
      fc.constant('Z'),
      fc
        .record({ sign: fc.constantFrom('+', '-'), hours: fc.integer({ min: 0, max: 14 }), minutes: fc.integer({ min: 0, max: 59 }) })
        .map(({ sign, hours, minutes }) => `${sign}${pad(hours, 2)}:${pad(minutes, 2)}`),
    ),
  })
  .map(({ date, hour, minute, second, fraction, offset }) => {
    const seconds = second === undefined ? '' : `:${pad(second, 2)}${fraction === undefined ? '' : `.${fraction}`}`;
    return `${date}T${pad(hour, 2)}:${pad(minute, 2)}${seconds}${offset}`;
  });

describe('epochOf', () => {
  test('a valid FHIR date gives what Date.parse gives', () => {
    fc.assert(
      fc.property(dateArb, (value) => {
        expect(precisionOf(value)).toBe('day');
        expect(epochOf(value, 'day')).toBe(viaDateParse(value));
      }),
      { numRuns: 5000 },
    );
  });

  test('a valid FHIR dateTime gives what Date.parse gives', () => {
    fc.assert(
      fc.property(dateTimeArb, (value) => {
        expect(precisionOf(value)).toBe('time');
        expect(epochOf(value, 'time')).toBe(viaDateParse(value));
      }),
      { numRuns: 10000 },
    );
  });

  test('known shapes', () => {
    expect(epochOf('2024-02-29', 'day')).toBe(Date.UTC(2024, 1, 29));
    expect(epochOf('2024-01-01T10:00:00.1239Z', 'time')).toBe(Date.UTC(2024, 0, 1, 10, 0, 0, 123));
    expect(epochOf('2024-01-01T10:00:00.5-05:00', 'time')).toBe(Date.UTC(2024, 0, 1, 15, 0, 0, 500));
    expect(epochOf('2024-01-01T10:00', 'time')).toBe(Date.UTC(2024, 0, 1, 10, 0));
    expect(epochOf('0050-01-01', 'day')).toBe(Date.parse('0050-01-01'));
    // Date.parse rolls a day the month does not have into the next month; so does the fast path.
    expect(epochOf('2023-02-30', 'day')).toBe(Date.parse('2023-02-30'));
    expect(parseFhirTime('2024-03-05T08:00:00+01:00')?.epochMs).toBe(Date.UTC(2024, 2, 5, 7));
  });
});
