import { SignJWT } from 'jose';

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789';
export const TEST_SUBGRAPH_SECRET = 'test-subgraph-secret-0123456789abcdef012345';

/** A user token as the platform's identity provider would issue it (HS256). */
export async function tokenFor(
  userId: string,
  options: { secret?: string; expiresIn?: string; email?: string; name?: string } = {},
): Promise<string> {
  return new SignJWT({ email: options.email ?? `${userId}@example.com`, name: options.name ?? userId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m')
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}
