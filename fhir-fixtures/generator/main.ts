/**
 * `npm run fixtures:generate`: writes fhir-fixtures/<scenario>.json and fhir-fixtures/manifest.json.
 * Paths are relative to the working directory (the project root), so the same code works from the
 * TypeScript source and from dist/.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateFixtures } from './generate.js';

const dir = path.resolve(process.cwd(), 'fhir-fixtures');
const { files } = generateFixtures();
for (const file of files) writeFileSync(path.join(dir, file.name), file.content);

const written = new Set(files.map((f) => f.name));
const stale = readdirSync(dir).filter((name) => name.endsWith('.json') && !written.has(name));
console.log(`wrote ${files.length} files to ${dir}`);
if (stale.length) console.warn(`not generated any more, delete them: ${stale.join(', ')}`);
