import { readGatewayIdentity } from '../../kernel/auth/identity';
import { SignedIdentities, TOKEN_REUSE_MS } from '../../gateway/signed-identities';

describe('the identities the gateway signs for subgraphs', () => {
  const secret = 'g'.repeat(40);

  it('signs once per caller and reuses the token for a while, then signs a fresh one', async () => {
    const signed = new SignedIdentities();
    const owner = { userId: 'u-owner', email: 'owner@example.com' };
    const first = signed.tokenFor(secret, owner, undefined, 1_000);
    expect(signed.tokenFor(secret, { ...owner }, undefined, 1_000 + TOKEN_REUSE_MS - 1)).toBe(first);
    await expect(readGatewayIdentity(await first, secret)).resolves.toMatchObject({ fromGateway: true, identity: owner });
    expect(signed.tokenFor(secret, owner, undefined, 1_000 + TOKEN_REUSE_MS)).not.toBe(first);
  });

  it('never hands one caller the token of another, signed in or anonymous by address', async () => {
    const signed = new SignedIdentities();
    const [owner, guest, sameUserOtherName, anonymousA, anonymousB] = await Promise.all([
      signed.tokenFor(secret, { userId: 'u-owner' }),
      signed.tokenFor(secret, { userId: 'u-guest' }),
      signed.tokenFor(secret, { userId: 'u-owner', name: 'Olivia' }),
      signed.tokenFor(secret, null, '203.0.113.7'),
      signed.tokenFor(secret, null, '203.0.113.8'),
    ]);
    expect(new Set([owner, guest, sameUserOtherName, anonymousA, anonymousB]).size).toBe(5);
    await expect(readGatewayIdentity(anonymousB, secret)).resolves.toEqual({ fromGateway: true, identity: null, clientAddress: '203.0.113.8' });
    await expect(readGatewayIdentity(guest, secret)).resolves.toMatchObject({ identity: { userId: 'u-guest' } });
  });
});
