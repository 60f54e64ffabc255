// Draws the IEC-HS timeline as small multiples (one Chart.js panel per analyte) sharing one x axis:
// day 0 marked, CRS episodes shaded, reference limits dashed, treatments as markers.
// Chart.js and its annotation plugin are loaded as UMD scripts (window.Chart) by the page.
import { PANELS, axisOf, crsBands, panelData, treatmentMarks, xRange } from './timeline-data.js';

const SERIES_COLORS = {
  ferritin: '#7e22ce',
  fibrinogen: '#0f766e',
  platelets: '#1d4ed8',
  anc: '#047857',
  ast: '#c2410c',
  alt: '#854d0e',
  creatinine: '#374151',
};
const TREATMENT_COLORS = {
  corticosteroid: '#15803d',
  anakinra: '#6d28d9',
  'il6-blockade': '#0369a1',
  ruxolitinib: '#a16207',
  emapalumab: '#be185d',
  etoposide: '#334155',
};
const OUT_OF_RANGE = '#dc2626';
const CRS_FILL = 'rgba(249, 115, 22, 0.16)';
const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 12 };

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

function dayTick(value) {
  return Number.isInteger(value) ? `${value}` : '';
}

/** Log axes get 1-2-5 ticks only; linear axes keep Chart.js defaults. */
function logTick(value) {
  const exponent = Math.floor(Math.log10(value));
  const mantissa = Math.round(value / 10 ** exponent);
  return [1, 2, 5].includes(mantissa) && Math.abs(value - mantissa * 10 ** exponent) < 1e-9 ? numberFormat.format(value) : '';
}

/**
 * CRS bands and treatment lines in every panel; Day 0 / Now labels only where `header` is set (the
 * treatment strip), drawn in a lane above the plot so they never cover a data point.
 */
function sharedAnnotations(range, bands, treatments, { header }) {
  const lane = header ? { yAdjust: -24 } : {};
  const annotations = {};
  bands.forEach((band, i) => {
    annotations[`crs${i}`] = {
      type: 'box',
      xMin: Math.max(band.from, range.min),
      xMax: Math.min(band.to, range.max),
      backgroundColor: CRS_FILL,
      borderWidth: 0,
      drawTime: 'beforeDatasetsDraw',
      label: { display: true, content: band.label, position: { x: 'center', y: 'start' }, color: '#9a3412', font: { ...FONT, size: 11, weight: 'bold' }, ...lane },
    };
  });
  treatments.forEach((t, i) => {
    annotations[`tx${i}`] = {
      type: 'line',
      xMin: t.x,
      xMax: t.x,
      borderColor: TREATMENT_COLORS[t.cls] ?? '#334155',
      borderWidth: 1,
      borderDash: [2, 3],
      drawTime: 'beforeDatasetsDraw',
    };
  });
  const marker = (content, color) => ({ display: header, content, position: 'end', backgroundColor: color, color: '#fff', font: { ...FONT, size: 11 }, ...lane });
  annotations.day0 = { type: 'line', xMin: 0, xMax: 0, borderColor: '#111827', borderWidth: 2, label: marker('Day 0', '#111827') };
  annotations.today = { type: 'line', xMin: range.now, xMax: range.now, borderColor: '#6b7280', borderWidth: 1, borderDash: [4, 4], label: marker('Now', '#6b7280') };
  return annotations;
}

/** Dashed line per relevant limit; with two series their labels go to opposite ends so they never overlap. */
function limitAnnotations(panel) {
  const annotations = {};
  panel.series.forEach((s, index) => {
    if (!s.limits) return;
    const color = SERIES_COLORS[s.analyte] ?? '#334155';
    const suffix = s.limits.source === 'default' ? ' (default)' : '';
    for (const which of panel.limits) {
      const value = s.limits[which];
      if (value === undefined || value <= 0) continue;
      const name = which === 'high' ? 'ULN' : 'LLN';
      annotations[`${s.analyte}-${which}`] = {
        type: 'line',
        yMin: value,
        yMax: value,
        borderColor: color,
        borderWidth: 1.5,
        borderDash: [6, 4],
        label: {
          display: true,
          content: `${panel.series.length > 1 ? `${s.label} ` : ''}${name} ${numberFormat.format(value)}${suffix}`,
          position: index === 0 ? 'end' : 'start',
          yAdjust: -10,
          backgroundColor: 'rgba(255,255,255,0.85)',
          color,
          font: { ...FONT, size: 11, weight: 'bold' },
          padding: 2,
        },
      };
    }
  });
  return annotations;
}

function xScale(range, axis, showTitle) {
  return {
    type: 'linear',
    min: range.min,
    max: range.max,
    ticks: { stepSize: 1, callback: dayTick, font: FONT, autoSkip: true, maxRotation: 0 },
    grid: { color: '#eef0f3' },
    title: { display: showTitle, text: axis.title, font: { ...FONT, weight: 'bold' } },
  };
}

function upperLimit(panel) {
  return Math.max(0, ...panel.series.flatMap((s) => panel.limits.map((which) => s.limits?.[which] ?? 0)));
}

function labPanel(canvas, panel, range, axis, bands, treatments) {
  const datasets = panel.series.map((s) => {
    const color = SERIES_COLORS[s.analyte] ?? '#334155';
    return {
      label: `${s.label} (${s.unit})`,
      data: s.points,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2,
      tension: 0,
      pointRadius: (ctx) => (ctx.raw?.flag ? 4.5 : 3),
      pointBackgroundColor: (ctx) => (ctx.raw?.flag ? OUT_OF_RANGE : color),
      pointBorderColor: (ctx) => (ctx.raw?.flag ? OUT_OF_RANGE : color),
      pointStyle: (ctx) => (ctx.raw?.comparator ? 'triangle' : 'circle'),
    };
  });
  return new window.Chart(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      scales: {
        x: xScale(range, axis, true),
        y: {
          type: panel.log ? 'logarithmic' : 'linear',
          beginAtZero: !panel.log,
          grace: panel.log ? 0 : '10%',
          // Keep a limit line and its label inside the plot even when every value is below it.
          suggestedMax: upperLimit(panel) * (panel.log ? 2 : 1.15),
          ticks: { font: FONT, ...(panel.log ? { callback: logTick, autoSkip: false } : {}) },
          grid: { color: '#eef0f3' },
          title: { display: true, text: `${panel.axisTitle ?? panel.title} (${panel.unit})${panel.log ? ', log scale' : ''}`, font: { ...FONT, weight: 'bold' } },
        },
      },
      plugins: {
        legend: { display: panel.series.length > 1, labels: { font: FONT, boxWidth: 14 } },
        tooltip: {
          callbacks: {
            title: (items) => `Day ${Math.floor(items[0].raw.x)} · ${dateFormat.format(new Date(items[0].raw.time))} UTC`,
            label: (item) => {
              const p = item.raw;
              const s = panel.series[item.datasetIndex];
              const flag = p.flag ? ` (${p.flag})` : '';
              return `${s.label}: ${p.comparator ?? ''}${numberFormat.format(p.y)} ${s.unit}${flag}${p.derived ? ', derived' : ''}`;
            },
          },
        },
        annotation: { annotations: { ...sharedAnnotations(range, bands, treatments, { header: false }), ...limitAnnotations(panel) } },
      },
    },
  });
}

function treatmentPanel(canvas, marks, range, axis, bands) {
  const drugs = [...new Set(marks.map((m) => m.drug))];
  return new window.Chart(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: 'Treatments',
          data: marks.map((m) => ({ x: m.x, y: m.drug, mark: m })),
          pointStyle: 'rectRot',
          pointRadius: 7,
          pointBackgroundColor: (ctx) => (ctx.raw?.mark.kind === 'given' ? TREATMENT_COLORS[ctx.raw.mark.cls] ?? '#334155' : '#fff'),
          pointBorderColor: (ctx) => TREATMENT_COLORS[ctx.raw?.mark.cls] ?? '#334155',
          pointBorderWidth: 2,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      layout: { padding: { top: 26 } },
      scales: {
        x: xScale(range, axis, false),
        y: { type: 'category', labels: drugs, offset: true, ticks: { font: { ...FONT, weight: 'bold' } }, grid: { color: '#eef0f3' } },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) => {
              const m = item.raw.mark;
              return `${m.drug} (${m.classLabel}), ${m.kind}, day ${Math.floor(m.x)}`;
            },
          },
        },
        annotation: { clip: false, annotations: sharedAnnotations(range, bands, [], { header: true }) },
      },
    },
  });
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Renders every panel of `timeline` into `container` (emptied first); returns the Chart instances. */
export function renderTimeline(container, timeline) {
  container.replaceChildren();
  const axis = axisOf(timeline);
  const range = xRange(timeline, axis);
  const bands = crsBands(timeline, axis, range.max);
  const treatments = treatmentMarks(timeline, axis);
  const charts = [];

  const txSection = element('section', 'panel panel--treatments');
  txSection.append(element('h3', 'panel-title', 'Treatments (filled = given, hollow = ordered)'));
  if (treatments.length > 0) {
    const box = element('div', 'chart-box');
    box.style.height = `${96 + 30 * new Set(treatments.map((t) => t.drug)).size}px`;
    const canvas = element('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `Treatments: ${treatments.map((t) => `${t.drug} day ${Math.floor(t.x)}`).join(', ')}`);
    box.append(canvas);
    txSection.append(box);
    charts.push(treatmentPanel(canvas, treatments, range, axis, bands));
  } else {
    txSection.append(element('p', 'muted', 'No corticosteroid, anakinra, IL-6 blockade or other CRS/IEC-HS treatment recorded.'));
  }
  container.append(txSection);

  const grid = element('div', 'panel-grid');
  container.append(grid);
  for (const panel of PANELS) {
    const data = panelData(timeline, panel, axis);
    const section = element('section', 'panel');
    section.dataset.panel = panel.id;
    section.append(element('h3', 'panel-title', `${panel.title}${data.unit ? ` (${data.unit})` : ''}`));
    grid.append(section);
    if (data.series.length === 0) {
      section.append(element('p', 'muted', 'No results in this record.'));
      continue;
    }
    const box = element('div', 'chart-box');
    const canvas = element('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${panel.title} against days after infusion`);
    box.append(canvas);
    section.append(box);
    charts.push(labPanel(canvas, data, range, axis, bands, treatments));
  }
  return charts;
}
