import { SignJWT } from 'jose';

/** The demo users of the embedded data (demo/platform.json); `u-owner` organizes both demo events. */
export const DEMO_USERS = ['u-owner', 'u-staff', 'u-vip', 'u-guest', 'u-outsider'] as const;

/**
 * Signs an HS256 token for a user as the platform's sign-in would (`sub`, `email`, `name`, `exp`),
 * for trying the API by hand: `npm run token` and the development GraphiQL page use it.
 */
export async function signDemoToken(userId: string, jwtSecret: string, expiresIn = '1h'): Promise<string> {
  return new SignJWT({ email: `${userId}@example.com`, name: userId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(jwtSecret));
}
