import { SignJWT } from 'jose';
import type { Identity } from '../kernel/auth/identity';
import { BENCH_JWT_SECRET } from './subgraph-env';

/** The dashboard's user in every scenario (the organizer of ev-private). */
export const BENCH_OWNER: Identity = { userId: 'u-owner', email: 'owner@example.com', name: 'Olivia Owner' };

/** A client's bearer token for `userId`, as the bench's gateways verify it (valid 30 minutes). */
export function benchUserToken(userId: string): Promise<string> {
  return new SignJWT({ email: `${userId}@example.com`, name: userId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('30m')
    .sign(new TextEncoder().encode(BENCH_JWT_SECRET));
}
