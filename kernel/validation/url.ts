/** The longest URL we store (ad and offer image columns are varchar(2048)). */
export const MAX_URL_LENGTH = 2048;

/**
 * Whitespace (Unicode's too), control characters, invisible format characters (bidi overrides,
 * zero-width spaces) and backslashes. Browsers and the WHATWG parser silently drop or reinterpret
 * them, which is how `java\tscript:`, `\u0000javascript:` or `https:\\evil` get past naive checks.
 */
const FORGIVEN_CHARACTERS = /[\s\p{Cc}\p{Cf}\\]/u;

/** Exactly two slashes after the scheme: the parser also accepts `https:evil` and `https:///evil`. */
const HTTP_PREFIX = /^https?:\/\/(?!\/)/i;
const HTTPS_PREFIX = /^https:\/\/(?!\/)/i;

export type UrlCheck = { ok: true; href: string } | { ok: false; problem: string };

/**
 * The one check of the URLs people give us to show or link (ad media and click URLs, offer
 * images; issue 16). Accepts an absolute http(s) URL (https only with `httpsOnly`) a browser will
 * read the way we do, and returns it as the WHATWG parser normalizes it (what we store is what we
 * checked). The text is checked before parsing because the parser forgives what browsers forgive:
 * a URL that needs forgiveness is refused, not repaired. Credentials in the URL
 * (`https://bank.example@evil.example`) are refused too: they exist mostly to make a link look
 * like another.
 */
export function checkWebUrl(value: string, options: { httpsOnly?: boolean } = {}): UrlCheck {
  if (value.length === 0) return fail('must not be empty');
  if (value.length > MAX_URL_LENGTH) return fail(`must be at most ${MAX_URL_LENGTH} characters (got ${value.length})`);
  if (FORGIVEN_CHARACTERS.test(value)) {
    return fail('must not contain spaces, control or invisible characters, or backslashes (percent-encode them)');
  }
  if (options.httpsOnly && !HTTPS_PREFIX.test(value)) {
    return fail('must be an absolute URL starting with https:// (no other scheme, no protocol-relative //)');
  }
  if (!HTTP_PREFIX.test(value)) {
    return fail('must be an absolute URL starting with http:// or https:// (no other scheme, no protocol-relative //)');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('is not a valid URL');
  }
  // The prefix test already pins the scheme; this restates it on what the parser understood.
  if (url.protocol !== 'https:' && (options.httpsOnly || url.protocol !== 'http:')) return fail(options.httpsOnly ? 'must use https' : 'must use http or https');
  if (url.hostname === '') return fail('must name a host');
  if (url.username !== '' || url.password !== '') return fail('must not contain a user name or password');
  if (url.href.length > MAX_URL_LENGTH) {
    return fail(`must be at most ${MAX_URL_LENGTH} characters once normalized (got ${url.href.length})`);
  }
  return { ok: true, href: url.href };
}

const fail = (problem: string): UrlCheck => ({ ok: false, problem });
