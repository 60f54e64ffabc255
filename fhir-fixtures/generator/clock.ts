/**
 * Scenario time: day N after the infusion at a given UTC hour, written relative to the manifest
 * anchor. Refuses any time after the anchor, because a result cannot exist before it is "now".
 */
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export class ScenarioClock {
  private readonly anchorMs: number;
  private readonly day0Ms: number;

  constructor(
    readonly anchor: string,
    readonly dayNow: number,
  ) {
    this.anchorMs = Date.parse(anchor);
    if (Number.isNaN(this.anchorMs)) throw new Error(`invalid anchor ${anchor}`);
    const anchorMidnight = this.anchorMs - (this.anchorMs % DAY_MS);
    this.day0Ms = anchorMidnight - dayNow * DAY_MS;
  }

  /** ISO instant of `day` (0 = infusion day) at `hour` UTC (fractions allowed). */
  at(day: number, hour: number, what: string): string {
    const ms = this.day0Ms + day * DAY_MS + Math.round(hour * HOUR_MS);
    if (ms > this.anchorMs) throw new Error(`${what}: day ${day} ${hour}h is after the anchor ${this.anchor}`);
    return new Date(ms).toISOString().replace('.000Z', 'Z');
  }
}

/** `d12`, `dm5` (day -5): the day part of resource ids (FHIR ids allow [A-Za-z0-9-.]). */
export function dayTag(day: number): string {
  return day < 0 ? `dm${-day}` : `d${day}`;
}
