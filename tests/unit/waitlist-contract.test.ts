import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';
import { OfferTokens } from '../../subgraphs/waitlist/offer-token';
import { resolveTier, tierFromTicket } from '../../subgraphs/waitlist/tiers';
import { ExtraWaitlistOps, WaitlistOps } from '../support/waitlist';

const CONTRACT_OPERATIONS = path.resolve(__dirname, '../../../shared/contract/operations/waitlist.graphql');

describe('the waitlist operations against the supergraph', () => {
  const committed = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
  const api = Supergraph.build(committed).apiSchema().toGraphQLJSSchema();

  it.each(Object.entries({ ...WaitlistOps, ...ExtraWaitlistOps }))('validates %s', (_name, operation) => {
    expect(validate(api, parse(operation)).map((error) => error.message)).toEqual([]);
  });

  // The copies in tests/support must stay the contract's operations, verbatim, where the contract is checked out beside the repo.
  (existsSync(CONTRACT_OPERATIONS) ? it : it.skip)('keeps the contract operations verbatim', () => {
    const contract = readFileSync(CONTRACT_OPERATIONS, 'utf8');
    for (const operation of Object.values(WaitlistOps)) expect(contract).toContain(operation);
  });
});

describe('offer tokens', () => {
  const tokens = OfferTokens.fromSecrets({ subgraphSecret: 'a-subgraph-secret-of-at-least-32-characters' });
  const claims = {
    entryId: '6f1c2a52-8d4e-4b8a-9a55-0c6f8f4c1e01',
    sessionId: 's-keynote',
    tokenId: '0d2c3b4a-5e6f-4a1b-8c9d-0e1f2a3b4c5d',
    expiresAt: new Date('2026-12-01T09:30:00.000Z'),
  };

  it('round-trips its claims', () => {
    expect(tokens.verify(tokens.sign(claims))).toEqual(claims);
  });

  it('refuses a token signed with another secret, an explicit one included', () => {
    const token = tokens.sign(claims);
    expect(OfferTokens.fromSecrets({ subgraphSecret: 'another-subgraph-secret-of-32-characters!!' }).verify(token)).toBeNull();
    expect(OfferTokens.fromSecrets({ offerSecret: 'x'.repeat(32), subgraphSecret: 'a-subgraph-secret-of-at-least-32-characters' }).verify(token)).toBeNull();
  });

  it('refuses any change to the claims or the signature, and anything that is not a token', () => {
    const [prefix, body, signature] = tokens.sign(claims).split('.');
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), x: Date.now() + 3_600_000 })).toString('base64url');
    for (const bad of [`${prefix}.${altered}.${signature}`, `${prefix}.${body}.${signature.slice(1)}`, `wlo2.${body}.${signature}`, '', 'a.b.c', 'x']) {
      expect(tokens.verify(bad)).toBeNull();
    }
  });
});

describe('waitlist tiers', () => {
  it('maps ticket tiers the contract way: VIP→VIP, PREMIUM→PREMIUM, anything else→STANDARD', () => {
    expect(['VIP', 'PREMIUM', 'GENERAL', 'vip', 'EARLY_BIRD', '', undefined, null].map(tierFromTicket)).toEqual([
      'VIP',
      'PREMIUM',
      'STANDARD',
      'VIP',
      'STANDARD',
      'STANDARD',
      'STANDARD',
      'STANDARD',
    ]);
  });

  it('prefers the organizer’s choice for the person, then the ticket’s tier, then the session’s default, then STANDARD', () => {
    // 1. The person's own tier wins over everything.
    expect(resolveTier({ userOverride: 'STANDARD', sessionTier: 'PREMIUM', ticketTier: 'VIP' })).toBe('STANDARD');
    // 2. A ticket that names a tier beats the session's default, upwards and downwards (issue 16).
    expect(resolveTier({ sessionTier: 'PREMIUM', ticketTier: 'VIP' })).toBe('VIP');
    expect(resolveTier({ sessionTier: 'VIP', ticketTier: 'premium' })).toBe('PREMIUM');
    expect(resolveTier({ ticketTier: 'VIP' })).toBe('VIP');
    // 3. The session's default applies when the ticket names no tier.
    expect(resolveTier({ sessionTier: 'PREMIUM', ticketTier: 'GENERAL' })).toBe('PREMIUM');
    expect(resolveTier({ sessionTier: 'VIP', ticketTier: null })).toBe('VIP');
    // 4. STANDARD when nothing says otherwise.
    expect(resolveTier({ ticketTier: 'GENERAL' })).toBe('STANDARD');
    expect(resolveTier({})).toBe('STANDARD');
  });
});
