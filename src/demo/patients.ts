/** The fixture patients the demo lists: manifest scenarios joined with each bundle's Patient name. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Bundle, HumanName, Patient } from 'fhir/r4';
import type { Manifest } from '../fixtures/manifest.js';

export interface DemoPatient {
  id: string;
  name: string;
  description: string;
  /** Manifest scenario id. */
  scenario: string;
}

export function displayName(names: HumanName[] | undefined): string | undefined {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return undefined;
  if (name.text) return name.text;
  const parts = [...(name.given ?? []), name.family].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(' ') : undefined;
}

async function patientName(bundlePath: string, patientId: string): Promise<string | undefined> {
  try {
    const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as Bundle;
    const patients = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Patient => r?.resourceType === 'Patient');
    // A transaction may POST the Patient without an id (the server assigns it): then the only Patient is the one.
    const patient = patients.find((p) => p.id === patientId) ?? (patients.length === 1 ? patients[0] : undefined);
    return displayName(patient?.name);
  } catch {
    return undefined; // a missing or unreadable bundle still lists the patient, by id
  }
}

/** Reads the manifest and the bundles next to it; scenarios sharing a patient are listed once. */
export async function loadDemoPatients(manifestPath: string): Promise<DemoPatient[]> {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  const dir = path.dirname(manifestPath);
  const seen = new Set<string>();
  const patients: DemoPatient[] = [];
  for (const scenario of manifest.scenarios) {
    if (seen.has(scenario.patientId)) continue;
    seen.add(scenario.patientId);
    const name = await patientName(path.join(dir, scenario.file), scenario.patientId);
    patients.push({ id: scenario.patientId, name: name ?? scenario.patientId, description: scenario.description, scenario: scenario.id });
  }
  return patients;
}
