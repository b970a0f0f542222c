import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/**
 * Validates rendered Kubernetes manifests against the API's own schemas, offline: kubernetes-models
 * ships the OpenAPI schemas of every built-in kind compiled to validators (nothing is downloaded).
 *
 *   node --import tsx scripts/deploy/validate-manifests.ts rendered.yaml [more.yaml...]
 *
 * Prints one line per object and per error; exits 1 if any object is invalid or of a kind the
 * schemas do not know (a typo in apiVersion or kind is an error, not a skip).
 */

interface Manifest {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown };
}

type ModelClass = new (data: unknown) => { validate(): void };

/** `apps/v1` → the module `kubernetes-models/apps/v1`; the core group `v1` → `kubernetes-models/v1`. */
async function modelOf(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const specifier = `kubernetes-models/${apiVersion}`;
  try {
    // A computed specifier: the package is ESM-only and its types are not needed here.
    const group = (await import(specifier)) as Record<string, unknown>;
    const model = group[kind];
    return typeof model === 'function' ? (model as ModelClass) : undefined;
  } catch {
    return undefined;
  }
}

export async function validateDocuments(text: string, source: string): Promise<string[]> {
  const errors: string[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      errors.push(`${source}: YAML: ${document.errors.map((error) => error.message).join('; ')}`);
      continue;
    }
    const manifest = document.toJS() as Manifest | null;
    if (manifest === null) continue;
    const label = `${String(manifest.kind)} ${String(manifest.metadata?.name)}`;
    if (typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string') {
      errors.push(`${source}: ${label}: apiVersion and kind must be strings`);
      continue;
    }
    const Model = await modelOf(manifest.apiVersion, manifest.kind);
    if (!Model) {
      errors.push(`${source}: ${label}: no schema for ${manifest.apiVersion} ${manifest.kind}`);
      continue;
    }
    try {
      new Model(manifest).validate();
      console.log(`ok ${manifest.apiVersion} ${label}`);
    } catch (error) {
      errors.push(`${source}: ${label}: ${(error as Error).message}`);
    }
  }
  return errors;
}

async function main(): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('Name the rendered manifest files to validate.');
  const errors: string[] = [];
  for (const file of files) errors.push(...(await validateDocuments(readFileSync(file, 'utf8'), file)));
  for (const error of errors) console.error(`invalid ${error}`);
  if (errors.length > 0) process.exit(1);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
