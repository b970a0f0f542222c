import { PGlite } from '@electric-sql/pglite';

/**
 * An in-process PostgreSQL (PGlite) for unit tests that check SQL without the test services.
 * PGlite loads its WebAssembly with a dynamic `import()`: jest runs with
 * `--experimental-vm-modules` (package.json, scripts/test.sh) so that it may.
 */
export function inProcessPostgres(): Promise<PGlite> {
  return PGlite.create();
}
