/**
 * Chart.js small multiples sharing one x axis (days after infusion): day 0 and now marked, CRS shaded,
 * reference limits dashed, lines for thresholds that fired, treatments as vertical lines whose colours
 * the HTML legend explains. Every canvas is described by a data table (tables.ts) for screen readers.
 */
import { Chart, registerables, type ChartConfiguration, type ScriptableContext } from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';

/** One annotation (box or line) of chartjs-plugin-annotation; its types do not resolve as ESM named exports. */
type AnnotationOptions = Record<string, unknown>;
import type { TreatmentClass } from '../features/types.js';
import type { CrsBand, PanelData, TreatmentMark } from './chartData.js';
import { num, type TimeFormat } from './format.js';

Chart.register(...registerables, annotationPlugin);

export const TREATMENT_COLORS: Readonly<Record<TreatmentClass, string>> = {
  corticosteroid: '#15803d',
  anakinra: '#6d28d9',
  'il6-blockade': '#0369a1',
  ruxolitinib: '#a16207',
  emapalumab: '#be185d',
  etoposide: '#334155',
};
const SERIES_COLORS = ['#1d4ed8', '#c2410c'];
const OUT_OF_RANGE = '#b91c1c';
const THRESHOLD_COLOR = '#7c2d12';
const CRS_FILL = 'rgba(249, 115, 22, 0.16)';
const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 12 };

interface Range {
  min: number;
  max: number;
  now: number;
}

interface RawPoint {
  x: number;
  y: number;
  epochMs: number;
  comparator?: string;
  flag?: 'high' | 'low';
  derived: boolean;
}

function rawOf(ctx: ScriptableContext<'line'>): RawPoint | undefined {
  return ctx.raw as RawPoint | undefined;
}

function logTick(value: number | string): string {
  const v = Number(value);
  const exponent = Math.floor(Math.log10(v));
  const mantissa = Math.round(v / 10 ** exponent);
  return [1, 2, 5].includes(mantissa) && Math.abs(v - mantissa * 10 ** exponent) < 1e-9 ? num(v) : '';
}

function sharedAnnotations(range: Range, bands: CrsBand[], treatments: TreatmentMark[]): Record<string, AnnotationOptions> {
  const annotations: Record<string, AnnotationOptions> = {};
  bands.forEach((band, i) => {
    annotations[`crs${i}`] = {
      type: 'box',
      xMin: Math.max(band.from, range.min),
      xMax: Math.min(band.to, range.max),
      backgroundColor: CRS_FILL,
      borderWidth: 0,
      drawTime: 'beforeDatasetsDraw',
      label: { display: true, content: band.label, position: { x: 'center', y: 'start' }, color: '#9a3412', font: { ...FONT, size: 11, weight: 'bold' } },
    };
  });
  treatments.forEach((t, i) => {
    annotations[`tx${i}`] = {
      type: 'line',
      xMin: t.x,
      xMax: t.x,
      borderColor: TREATMENT_COLORS[t.cls],
      borderWidth: t.kind === 'given' ? 2 : 1,
      borderDash: t.kind === 'given' ? [] : [2, 3],
      drawTime: 'beforeDatasetsDraw',
    };
  });
  annotations.day0 = {
    type: 'line',
    xMin: 0,
    xMax: 0,
    borderColor: '#111827',
    borderWidth: 2,
    label: { display: true, content: 'Day 0', position: 'start', backgroundColor: '#111827', color: '#fff', font: { ...FONT, size: 10 } },
  };
  annotations.now = { type: 'line', xMin: range.now, xMax: range.now, borderColor: '#6b7280', borderWidth: 1, borderDash: [4, 4] };
  return annotations;
}

function limitAndThresholdAnnotations(panel: PanelData): Record<string, AnnotationOptions> {
  const annotations: Record<string, AnnotationOptions> = {};
  panel.series.forEach((s, i) => {
    if (!s.limit) return;
    const color = SERIES_COLORS[i] ?? '#334155';
    annotations[`limit${i}`] = {
      type: 'line',
      yMin: s.limit.value,
      yMax: s.limit.value,
      borderColor: color,
      borderWidth: 1,
      borderDash: [6, 4],
      label: {
        display: true,
        content: `${panel.series.length > 1 ? `${s.label} ` : ''}${s.limit.which === 'high' ? 'ULN' : 'LLN'} ${num(s.limit.value)}${s.limit.source === 'default' ? ' (default)' : ''}`,
        position: i === 0 ? 'start' : 'center',
        yAdjust: -9,
        backgroundColor: 'rgba(255,255,255,0.85)',
        color,
        font: { ...FONT, size: 10 },
        padding: 2,
      },
    };
  });
  panel.lines.forEach((line, i) => {
    annotations[`threshold${i}`] = {
      type: 'line',
      yMin: line.value,
      yMax: line.value,
      borderColor: THRESHOLD_COLOR,
      borderWidth: 2,
      label: { display: true, content: line.label, position: 'end', yAdjust: -10, backgroundColor: 'rgba(255,255,255,0.9)', color: THRESHOLD_COLOR, font: { ...FONT, size: 10, weight: 'bold' }, padding: 2 },
    };
  });
  return annotations;
}

export function drawPanel(canvas: HTMLCanvasElement, panel: PanelData, range: Range, bands: CrsBand[], treatments: TreatmentMark[], axisTitle: string, time: TimeFormat): Chart<'line', RawPoint[]> {
  const top = Math.max(0, ...panel.series.map((s) => s.limit?.value ?? 0), ...panel.lines.map((l) => l.value));
  const config: ChartConfiguration<'line', RawPoint[]> = {
    type: 'line',
    data: {
      datasets: panel.series.map((s, i) => {
        const color = SERIES_COLORS[i] ?? '#334155';
        return {
          label: `${s.label} (${s.unit})`,
          data: s.points.map((p) => ({ ...p })),
          borderColor: color,
          backgroundColor: color,
          borderWidth: 2,
          tension: 0,
          pointRadius: (ctx: ScriptableContext<'line'>) => (rawOf(ctx)?.flag ? 4.5 : 3),
          pointBackgroundColor: (ctx: ScriptableContext<'line'>) => (rawOf(ctx)?.flag ? OUT_OF_RANGE : color),
          pointBorderColor: (ctx: ScriptableContext<'line'>) => (rawOf(ctx)?.flag ? OUT_OF_RANGE : color),
          pointStyle: (ctx: ScriptableContext<'line'>) => (rawOf(ctx)?.flag === 'high' ? 'triangle' : rawOf(ctx)?.flag === 'low' ? 'rectRot' : 'circle'),
        };
      }),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      scales: {
        x: {
          type: 'linear',
          min: range.min,
          max: range.max,
          ticks: { stepSize: 1, callback: (v) => (Number.isInteger(Number(v)) ? String(v) : ''), font: FONT, autoSkip: true, maxRotation: 0 },
          grid: { color: '#eef0f3' },
          title: { display: true, text: axisTitle, font: FONT },
        },
        y: {
          type: panel.spec.log ? 'logarithmic' : 'linear',
          beginAtZero: !panel.spec.log && !panel.spec.notZeroBased,
          suggestedMax: panel.spec.notZeroBased ? top + 0.5 : top * (panel.spec.log ? 2 : 1.15),
          ticks: { font: FONT, ...(panel.spec.log ? { callback: logTick, autoSkip: false } : {}) },
          grid: { color: '#eef0f3' },
          title: { display: true, text: `${panel.unit}${panel.spec.log ? ', log scale' : ''}`, font: FONT },
        },
      },
      plugins: {
        legend: { display: panel.series.length > 1, labels: { font: FONT, boxWidth: 14 } },
        tooltip: {
          callbacks: {
            title: (items) => {
              const p = items[0]?.raw as RawPoint | undefined;
              return p ? `Day ${Math.floor(p.x)} · ${time.dateTime(p.epochMs)} ${time.zoneName(p.epochMs)}` : '';
            },
            label: (item) => {
              const p = item.raw as RawPoint;
              const s = panel.series[item.datasetIndex];
              const flag = p.flag === 'high' ? ' ▲ High' : p.flag === 'low' ? ' ▼ Low' : '';
              return `${s?.label ?? ''}: ${p.comparator ?? ''}${num(p.y)} ${s?.unit ?? ''}${flag}${p.derived ? ', derived' : ''}`;
            },
          },
        },
        annotation: { annotations: { ...sharedAnnotations(range, bands, treatments), ...limitAndThresholdAnnotations(panel) } },
      },
    },
  };
  return new Chart(canvas, config);
}
