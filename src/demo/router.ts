/**
 * The demo EHR page and its small JSON API. The page itself is static (public/); it talks to the CDS
 * service and the embedded FHIR server exactly as an outside CDS client would, and to /demo/api only
 * for what a real EHR would know by itself: its patient list, its chart data and its order catalog.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { OperationOutcome } from 'fhir/r4';
import type { PatientTimeline } from '../features/types.js';
import { orderCatalog } from './orderCatalog.js';
import { loadDemoPatients, type DemoPatient } from './patients.js';
import { resolveVendorFiles } from './vendor.js';

export interface DemoRouterDeps {
  /** fhir-fixtures/manifest.json; each scenario's bundle is read next to it for the patient's name. */
  manifestPath: string;
  /** The chart data of one patient (the lead wires: embedded FHIR -> PatientData -> buildTimeline); undefined = unknown patient. */
  timelineFor(patientId: string): Promise<PatientTimeline | undefined>;
  /** Directory of the static page; default: the repository's public/. */
  publicDir?: string;
}

/** FHIR id syntax (R4 `id` datatype). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function outcome(code: string, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

/** public/ sits at the repository root, two levels above src/demo and three above dist/src/demo. */
function findPublicDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'public', 'index.html'))) return path.join(dir, 'public');
    dir = path.dirname(dir);
  }
  throw new Error('demo page directory public/ not found');
}

export function createDemoRouter(deps: DemoRouterDeps): express.Router {
  const router = express.Router();
  const vendorFiles = resolveVendorFiles();
  const publicDir = deps.publicDir ?? findPublicDir();
  const catalog = orderCatalog();
  let patients: Promise<DemoPatient[]> | undefined;

  router.get('/demo/api/patients', async (_req, res) => {
    patients ??= loadDemoPatients(deps.manifestPath);
    try {
      res.json(await patients);
    } catch {
      patients = undefined; // fixtures may still be generated; try again next time
      res.status(503).json(outcome('not-found', 'The fixture manifest is not available.'));
    }
  });

  router.get('/demo/api/timeline/:patientId', async (req, res) => {
    const { patientId } = req.params;
    if (!FHIR_ID.test(patientId)) {
      res.status(400).json(outcome('invalid', 'Patient id is not a valid FHIR id.'));
      return;
    }
    let timeline: PatientTimeline | undefined;
    try {
      timeline = await deps.timelineFor(patientId);
    } catch {
      res.status(502).json(outcome('exception', 'The timeline could not be built from the FHIR server.'));
      return;
    }
    if (!timeline) res.status(404).json(outcome('not-found', 'No such patient.'));
    else res.set('Cache-Control', 'no-store').json(timeline);
  });

  router.get('/demo/api/order-catalog', (_req, res) => {
    res.json({ items: catalog });
  });

  router.get('/vendor/:file', (req, res) => {
    const file = vendorFiles.get(req.params.file);
    if (!file) {
      res.status(404).json(outcome('not-found', 'No such vendor file.'));
      return;
    }
    res.type('text/javascript').sendFile(file, { maxAge: '1h' });
  });

  router.use(express.static(publicDir, { index: 'index.html', fallthrough: true }));
  return router;
}
