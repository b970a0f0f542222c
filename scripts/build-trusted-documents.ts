import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { dashboardOperationPatterns } from '../schema/check';
import { documentHash, operationDocuments, TRUSTED_DOCUMENTS_FILE, type TrustedDocumentManifest } from '../gateway/trusted-documents';

const ROOT = path.resolve(__dirname, '..');
/** The clients' operations (the contract's), the project's own and the dashboard's (one folder per feature). */
const FOLDERS = [
  path.resolve(ROOT, '../shared/contract/operations'),
  path.join(ROOT, 'schema/operations'),
  ...dashboardOperationPatterns(ROOT).map((pattern) => path.dirname(pattern)),
];

/** Writes gateway/generated/trusted-documents.json: one entry per operation, keyed by its sha256. */
function main(): void {
  const manifest: TrustedDocumentManifest = {};
  for (const folder of FOLDERS) {
    if (!existsSync(folder)) throw new Error(`The operations folder ${folder} is missing.`);
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.graphql')).sort()) {
      for (const operation of operationDocuments(readFileSync(path.join(folder, file), 'utf8'))) {
        manifest[documentHash(operation.document)] = operation;
      }
    }
  }
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(TRUSTED_DOCUMENTS_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`wrote ${Object.keys(sorted).length} trusted documents to ${path.relative(ROOT, TRUSTED_DOCUMENTS_FILE)}`);
}

main();
