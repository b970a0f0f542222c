import { createBearerVerifier, readGatewayIdentity, signGatewayIdentity } from '../../kernel/auth/identity';
import { ExpiringCache } from '../../kernel/expiring-cache';
import { tokenFor, TEST_JWT_SECRET } from '../support/tokens';

describe('identity', () => {
  const verify = createBearerVerifier({ jwtSecret: TEST_JWT_SECRET });

  it('treats a missing Authorization header as an anonymous caller', async () => {
    await expect(verify(undefined)).resolves.toBeNull();
  });

  it('reads the user from a valid bearer token', async () => {
    const verified = await verify(`Bearer ${await tokenFor('u-1', { email: 'one@example.com', name: 'One' })}`);
    expect(verified?.identity).toEqual({ userId: 'u-1', email: 'one@example.com', name: 'One' });
    expect(verified?.expiresAt).toBeGreaterThan(Date.now());
  });

  it.each([
    ['a malformed header', async () => 'Token abc'],
    ['a token signed with another secret', async () => `Bearer ${await tokenFor('u-1', { secret: 'z'.repeat(40) })}`],
    ['an expired token', async () => `Bearer ${await tokenFor('u-1', { expiresIn: '-5s' })}`],
    ['garbage', async () => 'Bearer not.a.jwt'],
    [
      'a token without expiry',
      async () =>
        `Bearer ${await new (await import('jose')).SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('u-1').sign(new TextEncoder().encode(TEST_JWT_SECRET))}`,
    ],
  ])('rejects %s as UNAUTHENTICATED', async (_what, header) => {
    await expect(verify(await header())).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('lets a subgraph read only identities the gateway signed', async () => {
    const secret = 's'.repeat(40);
    const signed = await signGatewayIdentity({ userId: 'u-2', email: 'two@example.com' }, secret);
    await expect(readGatewayIdentity(signed, secret)).resolves.toEqual({
      fromGateway: true,
      identity: { userId: 'u-2', email: 'two@example.com', name: undefined },
      clientAddress: null,
    });
    await expect(readGatewayIdentity(signed, 'another'.repeat(6))).resolves.toEqual({ fromGateway: false, identity: null, clientAddress: null });
    // A user's own token is not a gateway identity, even when it is valid for the gateway.
    await expect(readGatewayIdentity(await tokenFor('u-2', { secret }), secret)).resolves.toEqual({
      fromGateway: false,
      identity: null,
      clientAddress: null,
    });
    const anonymous = await signGatewayIdentity(null, secret, '203.0.113.7');
    await expect(readGatewayIdentity(anonymous, secret)).resolves.toEqual({ fromGateway: true, identity: null, clientAddress: '203.0.113.7' });
  });

  describe('verified tokens are remembered until they expire', () => {
    afterEach(() => jest.useRealTimers());
    // Moves the clock (Date only: jose reads `new Date()`, the cache `Date.now()`).
    const later = (ms: number) =>
      jest.useFakeTimers({
        now: Date.now() + ms,
        doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
      });

    it('answers a bearer token verified before with the same identity, and refuses it once expired', async () => {
      const header = `Bearer ${await tokenFor('u-3', { expiresIn: '5s' })}`;
      const first = await verify(header);
      // The same answer object: remembered, not verified again.
      await expect(verify(header)).resolves.toBe(first);
      later(6_000);
      await expect(verify(header)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    });

    it('remembers a long-lived bearer token a few minutes at most, then verifies it again', async () => {
      const header = `Bearer ${await tokenFor('u-5', { expiresIn: '10m' })}`;
      const first = await verify(header);
      later(6 * 60_000);
      const again = await verify(header);
      expect(again).toEqual(first);
      expect(again).not.toBe(first);
    });

    it('reads a remembered gateway identity only with the secret that signed it, and not once expired', async () => {
      const secret = 'r'.repeat(40);
      const signed = await signGatewayIdentity({ userId: 'u-4' }, secret);
      const proof = await readGatewayIdentity(signed, secret);
      expect(proof).toMatchObject({ fromGateway: true, identity: { userId: 'u-4' } });
      await expect(readGatewayIdentity(signed, secret)).resolves.toBe(proof);
      await expect(readGatewayIdentity(signed, 'q'.repeat(40))).resolves.toEqual({ fromGateway: false, identity: null, clientAddress: null });
      later(61_000);
      await expect(readGatewayIdentity(signed, secret)).resolves.toEqual({ fromGateway: false, identity: null, clientAddress: null });
    });

    it('keeps at most its capacity, dropping the oldest, and never serves an entry past its expiry', () => {
      const tokens = new ExpiringCache<string>(2);
      tokens.set('a', 'A', 1_000);
      tokens.set('b', 'B', 1_000);
      tokens.set('c', 'C', 1_000);
      expect(tokens.size).toBe(2);
      expect([tokens.get('a', 0), tokens.get('b', 0), tokens.get('c', 0)]).toEqual([undefined, 'B', 'C']);
      expect(tokens.get('b', 999)).toBe('B');
      expect(tokens.get('b', 1_000)).toBeUndefined();
      expect(tokens.size).toBe(1);
    });
  });
});
