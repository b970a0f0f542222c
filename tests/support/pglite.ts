import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * An in-process PostgreSQL (PGlite) for unit tests that check SQL without the test services.
 * The WebAssembly module and file-system bundle are handed over read, because PGlite would
 * otherwise load them with a dynamic `import()`, which jest's CommonJS runtime refuses.
 */
export async function inProcessPostgres(): Promise<PGlite> {
  const dist = path.dirname(require.resolve('@electric-sql/pglite'));
  const wasmModule = await WebAssembly.compile(readFileSync(path.join(dist, 'pglite.wasm')));
  const fsBundle = new Blob([readFileSync(path.join(dist, 'pglite.data'))]);
  return PGlite.create({ wasmModule, fsBundle });
}
