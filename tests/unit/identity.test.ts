import { createBearerVerifier, readGatewayIdentity, signGatewayIdentity } from '../../kernel/auth/identity';
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
});
