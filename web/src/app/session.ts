/** Who is signed in: the bearer token the API gets and what the dashboard shows about the person. */
export interface Session {
  token: string;
  /** Display name, when known (the development sign-in knows it; a pasted token may carry it). */
  name: string;
  /** Events the person organizes, when the sign-in knew them; otherwise they open one by id. */
  events: { id: string; name: string }[];
}

const KEY = 'dashboard.session';

/** The session lives in sessionStorage: a closed tab signs out, a reload does not. */
export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

/** The `name` claim of a JWT, for showing who is signed in; the token is verified by the gateway, not here. */
export function nameFromToken(token: string): string | null {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { name?: unknown; sub?: unknown };
    if (typeof payload.name === 'string') return payload.name;
    return typeof payload.sub === 'string' ? payload.sub : null;
  } catch {
    return null;
  }
}
