/** ONC HTI-1 source attributes (45 CFR 170.315(b)(11)(iv)(A)): the 13 (iv)(A) items per service, honest values. */
import { renderSourceAttributesHtml, sourceAttributesExtension, sourceAttributesFor } from '../../src/cards/index.js';
import { SOURCE_ATTRIBUTES_EXTENSION } from '../../src/cards/namespace.js';

describe.each(['iec-hs-surveillance', 'iec-hs-order-select'])('%s', (serviceId) => {
  const entry = sourceAttributesFor(serviceId)!;

  it('lists items 1-13 once each', () => {
    expect(entry.attributes.map((a) => a.item)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('says which demographic data it uses: sex (default reference ranges) only', () => {
    const used = entry.attributes.filter((a) => a.used === true).map((a) => a.key);
    expect(used).toEqual(['usesSex']);
    expect(entry.attributes.find((a) => a.key === 'citation')?.value).toContain('10.1016/j.jtct.2023.03.006');
  });

  it('publishes a discovery extension with booleans for the "use of" items', () => {
    const ext = sourceAttributesExtension(serviceId)?.[SOURCE_ATTRIBUTES_EXTENSION] as Record<string, unknown>;
    expect(ext).toMatchObject({ usesRace: false, usesEthnicity: false, usesSex: true, usesDateOfBirth: false });
    expect(typeof ext.citation).toBe('string');
  });

  it('renders an HTML page with every attribute, escaped', () => {
    const html = renderSourceAttributesHtml({ ...entry, intervention: '<script>x</script>' });
    expect(html).toContain('&#60;script&#62;');
    expect(html).not.toContain('<script>');
    expect(html.match(/<tr><td>/g)).toHaveLength(13);
  });
});

it('unknown services have none', () => {
  expect(sourceAttributesFor('nope')).toBeUndefined();
  expect(sourceAttributesExtension('nope')).toBeUndefined();
});
