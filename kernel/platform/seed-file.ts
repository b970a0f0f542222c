import { readFile } from 'node:fs/promises';
import { SeedFile } from '../contracts/platform-records';

/** Reads and validates a seed file in the shape of the contract's fixture. */
export async function readSeedFile(path: string): Promise<SeedFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new Error(`SEED_FILE ${path} could not be read as JSON: ${(cause as Error).message}`);
  }
  const parsed = SeedFile.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`SEED_FILE ${path} is invalid at ${first.path.join('.')}: ${first.message}`);
  }
  return parsed.data;
}
