import { ACCESS_GRANT_TTL_MS, readAccessGrants, signAccessGrant, type AccessFact } from '../../kernel/platform/access-grant';

/** Access facts handed between the fetches of one gateway request: believed only when intact, fresh and about the caller. */
describe('access grants', () => {
  const secret = 'test-subgraph-secret-0123456789abcdef012345';
  const now = Date.parse('2026-12-01T12:00:00Z');
  const fact: AccessFact = {
    event: { id: 'ev-private', organizationId: 'org-acme', ownerId: 'u-owner', name: 'Private', isPublic: false, currency: 'USD' },
    ticketTier: null,
    isMember: true,
  };

  it('gives back the facts of a grant for its caller until it expires', () => {
    const grant = signAccessGrant(secret, 'u-staff', [fact], now);
    expect(readAccessGrants(secret, grant, 'u-staff', now + ACCESS_GRANT_TTL_MS - 1)).toEqual([fact]);
    expect(readAccessGrants(secret, grant, 'u-staff', now + ACCESS_GRANT_TTL_MS)).toEqual([]);
  });

  it('ignores a grant for another caller, signed with another secret, or altered', () => {
    const grant = signAccessGrant(secret, 'u-staff', [fact], now);
    expect(readAccessGrants(secret, grant, 'u-stranger', now)).toEqual([]);
    expect(readAccessGrants(secret, signAccessGrant('another-secret-0123456789abcdef0123456789', 'u-staff', [fact], now), 'u-staff', now)).toEqual([]);
    const [payload, signature] = grant.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    claims.sub = 'u-stranger';
    const altered = `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    expect(readAccessGrants(secret, altered, 'u-stranger', now)).toEqual([]);
    expect(readAccessGrants(secret, `${payload}.${signature.slice(1)}`, 'u-staff', now)).toEqual([]);
    expect(readAccessGrants(secret, 'not a grant, .., a.b.c', 'u-staff', now)).toEqual([]);
  });

  it('reads the good grants of a header and skips the rest', () => {
    const other: AccessFact = { ...fact, event: { ...fact.event, id: 'ev-public', isPublic: true }, isMember: false, ticketTier: 'VIP' };
    const header = [signAccessGrant(secret, 'u-staff', [fact], now), 'garbage', signAccessGrant(secret, 'u-staff', [other], now)].join(',');
    expect(readAccessGrants(secret, header, 'u-staff', now)).toEqual([fact, other]);
    expect(readAccessGrants(secret, undefined, 'u-staff', now)).toEqual([]);
  });
});
