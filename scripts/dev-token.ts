import { SignJWT } from 'jose';
import { loadConfig } from '../kernel/config';

/**
 * `npm run token -- u-owner`: prints a one-hour HS256 token for a user, signed with AUTH_JWT_SECRET
 * (the embedded development secret when unset), for trying the API by hand.
 */
async function main(): Promise<void> {
  const userId = process.argv[2];
  if (!userId) throw new Error('Usage: npm run token -- <userId> (demo users: u-owner, u-staff, u-vip, u-guest, u-outsider)');
  const config = loadConfig();
  const token = await new SignJWT({ email: `${userId}@example.com`, name: userId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(config.auth.jwtSecret));
  console.log(token);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
