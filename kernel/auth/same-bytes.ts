import { timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret a caller gave (a signature, a bearer token) is the expected one, compared in
 * time that does not depend on where they first differ; unequal lengths are simply unequal.
 */
export function sameBytes(given: Buffer | string, expected: Buffer | string): boolean {
  const a = typeof given === 'string' ? Buffer.from(given) : given;
  const b = typeof expected === 'string' ? Buffer.from(expected) : expected;
  return a.length === b.length && timingSafeEqual(a, b);
}
