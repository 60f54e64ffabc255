// The demo page's JSON fetch and the facts its patient banner shows from the timeline.

export async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return response.json();
}

const SEX = { male: 'Male', female: 'Female', other: 'Other', unknown: 'Sex unknown' };

/** [label, value] pairs for the banner; empty without a timeline. */
export function bannerFacts(timeline) {
  if (!timeline) return [];
  const facts = [['Sex / age', `${SEX[timeline.sex] ?? timeline.sex}${timeline.ageYears !== undefined ? `, ${timeline.ageYears} y` : ''}`]];
  if (timeline.infusion) {
    facts.push(['Cell therapy', `${timeline.infusion.product ?? 'Immune effector cell infusion'} on ${timeline.infusion.time.slice(0, 10)}`]);
    if (timeline.dayNow !== undefined) facts.push(['Today', `Day ${timeline.dayNow} after infusion`]);
  } else {
    facts.push(['Cell therapy', 'No infusion found in the record']);
  }
  const activeCrs = (timeline.crsEpisodes ?? []).find((e) => e.active);
  const lastCrs = (timeline.crsEpisodes ?? []).at(-1);
  if (activeCrs) facts.push(['CRS', `Active${activeCrs.grade ? `, grade ${activeCrs.grade}` : ''}`]);
  else if (lastCrs) facts.push(['CRS', `Resolved${lastCrs.abatementDay !== undefined ? ` (day ${lastCrs.abatementDay})` : ''}`]);
  return facts;
}

/** Fills a <dl> with the banner facts. */
export function renderBannerFacts(dl, timeline) {
  dl.replaceChildren(
    ...bannerFacts(timeline).map(([label, value]) => {
      const item = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      item.append(dt, dd);
      return item;
    }),
  );
}
