/** The launch settings the server publishes at /app/config.json (no patient data; see src/smart/appRouter.ts). */
export interface LaunchConfig {
  clientId: string;
  scope: string;
  thresholds: Record<string, number>;
  timeZone?: string;
}

function isRecordOfNumbers(value: unknown): value is Record<string, number> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'number');
}

export async function loadLaunchConfig(): Promise<LaunchConfig> {
  const response = await fetch('config.json', { headers: { Accept: 'application/json' }, cache: 'no-cache' });
  if (!response.ok) throw new Error(`launch settings unavailable (HTTP ${response.status})`);
  const body = (await response.json()) as Partial<Record<keyof LaunchConfig, unknown>>;
  if (typeof body.clientId !== 'string' || typeof body.scope !== 'string') throw new Error('launch settings are malformed');
  return {
    clientId: body.clientId,
    scope: body.scope,
    thresholds: isRecordOfNumbers(body.thresholds) ? body.thresholds : {},
    ...(typeof body.timeZone === 'string' ? { timeZone: body.timeZone } : {}),
  };
}
