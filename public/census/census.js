// The census page: renders GET /census.json. No patient data is kept in the page beyond the table.
const $ = (id) => document.getElementById(id);

const DIRECTION_TEXT = { up: 'up', down: 'down', same: 'unchanged', single: 'single value', rising: 'rising', falling: 'falling', stable: 'stable' };
const TIER_TEXT = { critical: 'critical', warning: 'warning', watch: 'watch', none: '—' };
const PICTURE_TEXT = { met: 'present', watch: 'watch', 'not-met': 'not met' };

function cell(row, content, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  if (content instanceof Node) td.append(content);
  else td.textContent = content;
  row.append(td);
  return td;
}

function formatTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function keyValues(values) {
  const span = document.createElement('span');
  for (const v of values) {
    const kv = document.createElement('span');
    kv.className = `kv dir-${v.direction}`;
    kv.title = `${v.label}: ${DIRECTION_TEXT[v.direction] ?? v.direction}${v.previous !== undefined ? ` (previous ${v.previous})` : ''}, ${formatTime(v.time)}`;
    kv.textContent = `${v.label} ${v.text}`;
    kv.dataset.analyte = v.analyte;
    kv.dataset.direction = v.direction;
    span.append(kv);
  }
  return span;
}

function render(data) {
  const access = $('census-access');
  access.textContent = data.access;
  access.classList.toggle('demo', data.mode !== 'production');
  const cycle = data.lastCycle;
  $('census-meta').textContent = cycle
    ? `Last cycle ${formatTime(cycle.startedAt)}: ${cycle.evaluated} evaluated, ${cycle.failed} failed; every ${data.intervalMinutes} min.`
    : `Waiting for the first cycle (every ${data.intervalMinutes} min).`;
  const body = $('census-rows');
  body.replaceChildren();
  for (const p of data.patients) {
    const tr = document.createElement('tr');
    tr.className = `tier-${p.tier}`;
    tr.dataset.patient = p.patientId;
    tr.dataset.tier = p.tier;
    const link = document.createElement('a');
    link.href = p.timelineUrl;
    link.textContent = p.name ?? p.patientId;
    const who = cell(tr, link);
    if (p.product) who.append(document.createElement('br'), document.createTextNode(p.product));
    if (p.stale) {
      const s = document.createElement('div');
      s.className = 'stale';
      s.textContent = 'last evaluation failed; showing the previous result';
      who.append(s);
    }
    cell(tr, p.day === undefined ? '?' : String(p.day));
    cell(tr, p.crs.state === 'none' ? 'none recorded' : `${p.crs.state}${p.crs.grade !== undefined ? `, grade ${p.crs.grade}` : ''}`);
    cell(tr, `${PICTURE_TEXT[p.iecHs] ?? p.iecHs}${p.overlappingCrs ? ' (overlapping CRS)' : ''}${p.pictureSince ? ` since ${formatTime(p.pictureSince)}` : ''}`, 'picture');
    cell(tr, TIER_TEXT[p.tier] ?? p.tier, 'tier');
    cell(tr, keyValues(p.keyValues));
    cell(tr, p.labsDue.length ? (p.labsDueLabels ?? p.labsDue).join(', ') : 'none');
    cell(tr, formatTime(p.evaluatedAt));
    body.append(tr);
  }
  $('census-table').hidden = data.patients.length === 0;
  $('census-empty').hidden = data.patients.length !== 0;
}

async function load() {
  try {
    const res = await fetch('/census.json', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (res.status === 401) {
      $('census-login').hidden = false;
      $('census-access').textContent = 'Sign-in required.';
      return;
    }
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    render(await res.json());
    $('census-error').hidden = true;
  } catch (e) {
    $('census-error').textContent = `The census could not be loaded (${e.message}).`;
    $('census-error').hidden = false;
  }
}

load();
setInterval(load, 60_000);
