import express, { type Router } from 'express';
import { SignJWT } from 'jose';
import type { SeedFile } from '../kernel/contracts/platform-records';

/** A demo user as the sign-in page lists them, with the events they organize. */
export interface DemoUser {
  id: string;
  name: string;
  email: string;
  events: { id: string; name: string; role: 'owner' | 'member' }[];
}

/** The users of the platform records, each with the events they own or whose organization they belong to. */
export function demoUsers(records: SeedFile[]): DemoUser[] {
  const users = new Map(records.flatMap((record) => record.users).map((user) => [user.id, user]));
  const organizations = records.flatMap((record) => record.organizations);
  const events = records.flatMap((record) => record.events);
  return [...users.values()].map((user) => ({
    id: user.id,
    name: user.name,
    email: user.email,
    events: events.flatMap((event): DemoUser['events'] => {
      if (event.ownerId === user.id) return [{ id: event.id, name: event.name, role: 'owner' }];
      const member = organizations.some((org) => org.id === event.organizationId && org.members.includes(user.id));
      return member ? [{ id: event.id, name: event.name, role: 'member' }] : [];
    }),
  }));
}

/**
 * The development sign-in the dashboard uses when the gateway runs outside production: `GET` lists
 * the demo users, `POST { userId }` answers a one-hour HS256 token for one of them, signed with the
 * secret the gateway verifies. It is only mounted when the config allows it (`gateway.devSignIn`),
 * so in production `/dev/sign-in` does not exist.
 */
export function devSignInRouter(options: { jwtSecret: string; records: SeedFile[] }): Router {
  const router = express.Router();
  const secret = new TextEncoder().encode(options.jwtSecret);
  router.get('/dev/sign-in', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json({ users: demoUsers(options.records) });
  });
  router.post('/dev/sign-in', express.json({ limit: '1kb' }), async (req, res) => {
    const userId: unknown = req.body?.userId;
    const user = demoUsers(options.records).find((candidate) => candidate.id === userId);
    if (!user) {
      res.status(400).json({ error: 'userId must be one of the demo users listed by GET /dev/sign-in' });
      return;
    }
    const token = await new SignJWT({ email: user.email, name: user.name })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret);
    res.setHeader('cache-control', 'no-store');
    res.json({ token });
  });
  return router;
}
