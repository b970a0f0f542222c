import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The trusted documents compiled by `npm run codegen` (gateway/generated, copied into dist/ too). */
const MANIFEST = path.resolve(__dirname, '../../gateway/generated/trusted-documents.json');

let names: ReadonlySet<string> | undefined;

/**
 * The operation names of the trusted documents: the names metrics label as they are (every other
 * name is `other`, so a client cannot grow the label set).
 */
export function knownOperationNames(): ReadonlySet<string> {
  if (names) return names;
  try {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, { operationName?: string }>;
    names = new Set(Object.values(manifest).flatMap((entry) => (entry.operationName ? [entry.operationName] : [])));
  } catch {
    names = new Set();
  }
  return names;
}
