/**
 * Scenario time: day N after the infusion at a given UTC hour, written relative to the manifest
 * anchor. Refuses any time after the anchor, because a result cannot exist before it is "now".
 */
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export class ScenarioClock {
  private readonly anchorMs: number;
  private readonly day0Ms: number;
  /** The scenario's evaluation time: the anchor plus `nowOffsetHours`. */
  private readonly nowMs: number;

  /**
   * `utcOffsetHours`: the site's offset; hours are local and times are written with that offset
   * (`-05:00`). Day 0 is the UTC day of the anchor minus `dayNow` either way, so `day N at hour h`
   * means the local calendar day N of the site.
   */
  constructor(
    readonly anchor: string,
    readonly dayNow: number,
    readonly utcOffsetHours = 0,
    readonly nowOffsetHours = 0,
  ) {
    this.anchorMs = Date.parse(anchor);
    if (Number.isNaN(this.anchorMs)) throw new Error(`invalid anchor ${anchor}`);
    const anchorMidnight = this.anchorMs - (this.anchorMs % DAY_MS);
    this.day0Ms = anchorMidnight - dayNow * DAY_MS - utcOffsetHours * HOUR_MS;
    this.nowMs = this.anchorMs + nowOffsetHours * HOUR_MS;
  }

  /** ISO instant of `day` (0 = infusion day) at `hour` site-local time (fractions allowed). */
  at(day: number, hour: number, what: string): string {
    const ms = this.day0Ms + day * DAY_MS + Math.round(hour * HOUR_MS);
    if (ms > this.nowMs) throw new Error(`${what}: day ${day} ${hour}h is after the scenario's now`);
    if (this.utcOffsetHours === 0) return new Date(ms).toISOString().replace('.000Z', 'Z');
    const local = new Date(ms + this.utcOffsetHours * HOUR_MS).toISOString().slice(0, 19);
    const sign = this.utcOffsetHours < 0 ? '-' : '+';
    const abs = Math.abs(this.utcOffsetHours);
    return `${local}${sign}${String(Math.floor(abs)).padStart(2, '0')}:${String(Math.round((abs % 1) * 60)).padStart(2, '0')}`;
  }
}

/** `d12`, `dm5` (day -5): the day part of resource ids (FHIR ids allow [A-Za-z0-9-.]). */
export function dayTag(day: number): string {
  return day < 0 ? `dm${-day}` : `d${day}`;
}
