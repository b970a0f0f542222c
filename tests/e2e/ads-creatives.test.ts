import { contractOperation } from '../support/contract-operations';
import { insertAd } from '../support/ads';
import { codesOf, graphql, type GraphQLResponse } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

const CREATE_AD = contractOperation('ads.graphql', 'CreateAd');
const UPDATE_AD = `mutation UpdateAd($id: ID!, $input: UpdateAdInput!) {
  updateAd(id: $id, input: $input) { id name clickUrl startsAt endsAt frequencyCap aspectRatio weight }
}`;

const validInput = (overrides: Record<string, unknown> = {}) => ({
  eventId: 'ev-private',
  name: 'Sponsor banner',
  mediaUrl: 'https://cdn.example.com/banner.png',
  clickUrl: 'https://sponsor.example.com/landing',
  placements: ['lobby-banner'],
  ...overrides,
});

/** URLs an attacker would try: every one must be refused before it reaches the database. */
const HOSTILE_URLS: [string, string][] = [
  ['javascript: scheme', 'javascript:alert(document.cookie)'],
  ['mixed-case javascript: scheme', 'JaVaScRiPt:alert(1)'],
  ['javascript: with a tab inside the scheme', 'java\tscript:alert(1)'],
  ['javascript: with a newline inside the scheme', 'java\nscript:alert(1)'],
  ['data: URL', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
  ['vbscript: scheme', 'vbscript:msgbox("x")'],
  ['file: URL', 'file:///etc/passwd'],
  ['ftp: URL', 'ftp://files.example.com/ad.png'],
  ['protocol-relative //evil', '//evil.example.com/ad'],
  ['protocol-relative with backslashes', '\\\\evil.example.com/ad'],
  ['https: without slashes', 'https:evil.example.com'],
  ['https: with three slashes', 'https:///evil.example.com'],
  ['https: with backslashes', 'https:\\\\evil.example.com'],
  ['leading space', ' https://example.com/'],
  ['leading tab', '\thttps://example.com/'],
  ['leading newline', '\nhttps://example.com/'],
  ['leading NUL', '\u0000https://example.com/'],
  ['leading unit separator', '\u001fhttps://example.com/'],
  ['leading no-break space', '\u00a0https://example.com/'],
  ['leading zero-width space', '\u200bhttps://example.com/'],
  ['right-to-left override', '\u202ehttps://example.com/'],
  ['leading space before javascript:', ' javascript:alert(1)'],
  ['NUL before javascript:', '\u0000javascript:alert(1)'],
  ['trailing space', 'https://example.com/ '],
  ['space inside', 'https://example.com/a b'],
  ['credentials that disguise the host', 'https://bank.example.com@evil.example.com/'],
  ['2049 characters', `https://example.com/${'a'.repeat(2049 - 'https://example.com/'.length)}`],
  ['not a URL', 'not a url'],
  ['a bare host', 'example.com/ad.png'],
  ['scheme without host', 'https://'],
  ['invalid host', 'https://exa mple.com/'],
  ['empty', ''],
];

/** Ordinary creatives: every one must be accepted, stored as the URL parser reads it. */
const GOOD_URLS: [string, string][] = [
  ['https with a path', 'https://cdn.example.com/ads/banner.png'],
  ['plain http', 'http://example.com/'],
  ['query and fragment', 'https://example.com/landing?utm_source=event&x=1#top'],
  ['upper-case scheme and host', 'HTTPS://CDN.EXAMPLE.COM/Banner.PNG'],
  ['a port', 'https://example.com:8443/ad'],
  ['percent-encoded characters', 'https://example.com/a%20b/%E2%9C%93'],
  ['an internationalized host', 'https://bücher.example/angebot'],
  ['an IPv4 host', 'http://192.0.2.10/ad.png'],
  ['no path', 'https://example.com'],
  ['exactly 2048 characters', `https://example.com/${'a'.repeat(2048 - 'https://example.com/'.length)}`],
];

describe('creating and updating ads through the gateway', () => {
  let stack: TestStack;
  let owner: string;

  /** `token` null: an anonymous caller. */
  const create = async (input: Record<string, unknown>, token: string | null = owner): Promise<GraphQLResponse> =>
    graphql(stack.gatewayUrl, CREATE_AD, { variables: { input }, token: token ?? undefined });
  const adCount = async () => Number((await stack.runtime.orm.em.fork().execute('select count(*) as n from ads'))[0].n);
  const expectRefused = (response: GraphQLResponse, field: string) => {
    expect(response.data?.createAd ?? response.data?.updateAd ?? null).toBeNull();
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions!.field).toBe(field);
    // A sentence that says what is allowed, not a code.
    expect(response.errors![0].message).toMatch(/^[A-Za-z].{15,}\.$/s);
  };

  beforeAll(async () => {
    stack = await startStack({ subgraphs: ['offers', 'ads'] });
    owner = await tokenFor('u-owner');
  });
  afterAll(() => stack.close());

  it('creates an ad with every field of the contract operation', async () => {
    const response = await create(
      validInput({
        isActive: false,
        startsAt: '2026-12-01T09:00:00Z',
        endsAt: '2026-12-03T18:00:00Z',
        placements: ['lobby-banner', 'session-sidebar'],
        targetSessions: ['s-keynote'],
        frequencyCap: 3,
        aspectRatio: '16:9',
      }),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.createAd).toEqual({
      id: expect.any(String),
      name: 'Sponsor banner',
      mediaUrl: 'https://cdn.example.com/banner.png',
      clickUrl: 'https://sponsor.example.com/landing',
      isActive: false,
      startsAt: '2026-12-01T09:00:00.000Z',
      endsAt: '2026-12-03T18:00:00.000Z',
      placements: ['lobby-banner', 'session-sidebar'],
      targetSessions: ['s-keynote'],
      frequencyCap: 3,
      aspectRatio: '16:9',
    });
  });

  describe.each(['clickUrl', 'mediaUrl'])('refuses hostile %s values, naming the field', (field) => {
    it.each(HOSTILE_URLS)('refuses %s', async (_label, url) => {
      const before = await adCount();
      const response = await create(validInput({ [field]: url }));
      expectRefused(response, `input.${field}`);
      expect(await adCount()).toBe(before);
    });
  });

  it.each(GOOD_URLS)('accepts %s as a click URL', async (_label, url) => {
    const response = await create(validInput({ clickUrl: url, mediaUrl: url }));
    expect(response.errors).toBeUndefined();
    expect(response.data.createAd.clickUrl).toBe(new URL(url).href);
    expect(response.data.createAd.mediaUrl).toBe(new URL(url).href);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an empty name', { name: '' }, 'input.name'],
    ['a blank name', { name: '   ' }, 'input.name'],
    ['a 201-character name', { name: 'n'.repeat(201) }, 'input.name'],
    ['a start after the end', { startsAt: '2026-12-03T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' }, 'input.endsAt'],
    ['a start equal to the end', { startsAt: '2026-12-03T00:00:00Z', endsAt: '2026-12-03T00:00:00Z' }, 'input.endsAt'],
    ['a frequency cap of 0', { frequencyCap: 0 }, 'input.frequencyCap'],
    ['a negative frequency cap', { frequencyCap: -2 }, 'input.frequencyCap'],
    ['an aspect ratio without a colon', { aspectRatio: '16x9' }, 'input.aspectRatio'],
    ['an aspect ratio with a zero', { aspectRatio: '0:1' }, 'input.aspectRatio'],
    ['an aspect ratio with decimals', { aspectRatio: '1.5:1' }, 'input.aspectRatio'],
    ['a weight of 0', { weight: 0 }, 'input.weight'],
    ['a weight over 1000', { weight: 1001 }, 'input.weight'],
    ['a placement with spaces', { placements: ['lobby banner'] }, 'input.placements'],
    ['an empty placement', { placements: [''] }, 'input.placements'],
    ['a session of another event', { targetSessions: ['s-open'] }, 'input.targetSessions'],
    ['an unknown session', { targetSessions: ['s-nowhere'] }, 'input.targetSessions'],
  ])('refuses %s', async (_label, overrides, field) => {
    const before = await adCount();
    expectRefused(await create(validInput(overrides)), field);
    expect(await adCount()).toBe(before);
  });

  it('accepts a 200-character name and the documented defaults', async () => {
    const response = await graphql(
      stack.gatewayUrl,
      `mutation($input: CreateAdInput!) { createAd(input: $input) { name isActive frequencyCap weight targetSessions } }`,
      { variables: { input: validInput({ name: 'n'.repeat(200) }) }, token: owner },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.createAd).toEqual({ name: 'n'.repeat(200), isActive: true, frequencyCap: null, weight: 1, targetSessions: [] });
  });

  it('lets only organizers create ads', async () => {
    const before = await adCount();
    expect(codesOf(await create(validInput(), await tokenFor('u-staff')))).toEqual([]);
    expect(codesOf(await create(validInput(), await tokenFor('u-vip')))).toEqual(['FORBIDDEN']);
    expect(codesOf(await create(validInput(), await tokenFor('u-outsider')))).toEqual(['NOT_FOUND']);
    expect(codesOf(await create(validInput(), null))).toEqual(['UNAUTHENTICATED']);
    expect(await adCount()).toBe(before + 1);
  });

  describe('updateAd', () => {
    const update = async (id: string, input: Record<string, unknown>, token: string | null = owner) =>
      graphql(stack.gatewayUrl, UPDATE_AD, { variables: { id, input }, token: token ?? undefined });

    it('changes only what it is given and clears optional fields with null', async () => {
      const ad = await insertAd(stack.runtime.orm, 'ev-private', { frequencyCap: 4, aspectRatio: '1:1', weight: 7 });
      const response = await update(ad.id, { name: 'Renamed', frequencyCap: null });
      expect(response.errors).toBeUndefined();
      expect(response.data.updateAd).toMatchObject({ name: 'Renamed', frequencyCap: null, aspectRatio: '1:1', weight: 7 });
    });

    it('refuses a hostile click URL and leaves the ad as it was', async () => {
      const ad = await insertAd(stack.runtime.orm, 'ev-private');
      expectRefused(await update(ad.id, { clickUrl: 'JaVaScRiPt:alert(1)' }), 'input.clickUrl');
      const row = await stack.runtime.orm.em.fork().execute('select click_url from ads where id = ?', [ad.id]);
      expect(row[0].click_url).toBe('https://sponsor.example.com/');
    });

    it('checks the schedule against the ad as it is when only one end moves', async () => {
      const ad = await insertAd(stack.runtime.orm, 'ev-private', { startsAt: new Date('2026-12-02T00:00:00Z') });
      expectRefused(await update(ad.id, { endsAt: '2026-12-01T00:00:00Z' }), 'input.endsAt');
      expect((await update(ad.id, { endsAt: '2026-12-05T00:00:00Z' })).errors).toBeUndefined();
    });

    it('refuses null for a field that cannot be empty', async () => {
      const ad = await insertAd(stack.runtime.orm, 'ev-private');
      expectRefused(await update(ad.id, { name: null }), 'input.name');
    });

    it('lets only organizers of the ad event update it', async () => {
      const ad = await insertAd(stack.runtime.orm, 'ev-private');
      expect(codesOf(await update(ad.id, { name: 'x' }, await tokenFor('u-guest')))).toEqual(['FORBIDDEN']);
      expect(codesOf(await update(ad.id, { name: 'x' }, await tokenFor('u-outsider')))).toEqual(['NOT_FOUND']);
      expect(codesOf(await update(ad.id, { name: 'x' }, null))).toEqual(['UNAUTHENTICATED']);
      expect(codesOf(await update('00000000-0000-4000-8000-000000000000', { name: 'x' }))).toEqual(['NOT_FOUND']);
      const row = await stack.runtime.orm.em.fork().execute('select name from ads where id = ?', [ad.id]);
      expect(row[0].name).toBe('Ad');
    });
  });
});
