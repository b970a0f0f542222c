import { validateCreateInput } from '../../subgraphs/ads/ad-input';
import { validateNewOffer } from '../../subgraphs/offers/offer-input';
import { checkWebUrl } from '../../kernel/validation/url';

/** Issue 16: offer images get the same strict URL check as ad URLs, from one validator. */
const HOSTILE = [
  'javascript:alert(1)',
  'data:image/png;base64,AAAA',
  'https://cdn.example.com/a b.png',
  ' https://cdn.example.com/a.png',
  'https://cdn.example.com/\u200ba.png',
  'https://cdn.example.com/\u202ea.png',
  'https:\\\\evil.example/a.png',
  'https:cdn.example.com/a.png',
  'https:///cdn.example.com/a.png',
  '//cdn.example.com/a.png',
  'https://cdn.example.com@evil.example/a.png',
  `https://cdn.example.com/${'a'.repeat(2048)}`,
];

describe('the shared web URL check', () => {
  it.each(HOSTILE)('refuses %j for ads and for offer images alike', (url) => {
    expect(checkWebUrl(url).ok).toBe(false);
    expect(checkWebUrl(url, { httpsOnly: true }).ok).toBe(false);
  });

  it('takes http for ads but only https for offer images, both normalized', () => {
    expect(checkWebUrl('http://cdn.example.com/a.png')).toEqual({ ok: true, href: 'http://cdn.example.com/a.png' });
    expect(checkWebUrl('http://cdn.example.com/a.png', { httpsOnly: true }).ok).toBe(false);
    expect(checkWebUrl('HTTPS://CDN.example.com/a.png', { httpsOnly: true })).toEqual({ ok: true, href: 'https://cdn.example.com/a.png' });
  });

  it.each(HOSTILE)('makes createAd refuse the media URL %j, naming it', (mediaUrl) => {
    expect(() =>
      validateCreateInput({ eventId: 'e', name: 'Ad', mediaUrl, clickUrl: 'https://sponsor.example/', isActive: true, placements: [], targetSessions: [], weight: 1 }),
    ).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.mediaUrl' }) }));
  });

  it.each(HOSTILE.filter((url) => !url.startsWith('http://')))('makes createOffer refuse the image %j, naming input.imageUrl', (imageUrl) => {
    expect(() =>
      validateNewOffer({ eventId: 'e', title: 'Pass', type: 'DIGITAL', price: { amountCents: 100 }, imageUrl }, 'USD'),
    ).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.imageUrl' }) }));
  });
});
