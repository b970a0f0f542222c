import { DEMO_USERS, signDemoToken } from '../kernel/auth/demo-token';
import { loadConfig } from '../kernel/config';

/**
 * `npm run token -- u-owner`: prints a one-hour HS256 token for a user, signed with AUTH_JWT_SECRET
 * (the embedded development secret when unset), for trying the API by hand.
 */
async function main(): Promise<void> {
  const userId = process.argv[2];
  if (!userId) throw new Error(`Usage: npm run token -- <userId> (demo users: ${DEMO_USERS.join(', ')})`);
  console.log(await signDemoToken(userId, loadConfig().auth.jwtSecret));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
