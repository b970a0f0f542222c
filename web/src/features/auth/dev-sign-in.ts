/** A demo user as the gateway's development sign-in lists them. */
export interface DemoUser {
  id: string;
  name: string;
  email: string;
  events: { id: string; name: string; role: 'owner' | 'member' }[];
}

/**
 * The demo users, or null when the gateway has no development sign-in (production, or tokens
 * verified through JWKS): then the page asks for the platform's token instead.
 */
export async function listDemoUsers(): Promise<DemoUser[] | null> {
  const response = await fetch('/dev/sign-in', { headers: { accept: 'application/json' } });
  if (!response.ok) return null;
  const body = (await response.json()) as { users: DemoUser[] };
  return body.users;
}

/** A token for a demo user, minted by the gateway's development sign-in. */
export async function demoToken(userId: string): Promise<string> {
  const response = await fetch('/dev/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (!response.ok) throw new Error(`Sign-in failed (${response.status})`);
  return ((await response.json()) as { token: string }).token;
}
