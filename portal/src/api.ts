/**
 * The portal's HTTP client. The access token lives in this module's memory only: never in
 * localStorage, sessionStorage or a cookie, so closing or reloading the tab signs out and
 * no other script on the origin can read it back from storage.
 */

/** A contract error answer (`{"error", "error_description"}`), or a network failure. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
  ) {
    super(description);
    this.name = 'ApiFailure';
  }
}

let token: string | undefined;
let onSignedOut: ((reason: string) => void) | undefined;

export function signedIn(): boolean {
  return token !== undefined;
}

export function signOut(): void {
  token = undefined;
}

/** Called when an API answer says the token no longer works (expired, revoked). */
export function whenSessionEnds(handler: (reason: string) => void): void {
  onSignedOut = handler;
}

function apiBase(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="wk-api-base"]');
  return meta?.content ?? '';
}

async function send(method: string, path: string, body: unknown, auth: boolean): Promise<unknown> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth && token !== undefined) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(apiBase() + path, {
      method,
      headers,
      credentials: 'omit',
      cache: 'no-store',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiFailure(0, 'network_error', 'The gateway could not be reached. Check your connection and try again.');
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (res.ok) return parsed;
  const err = (parsed ?? {}) as { error?: unknown; error_description?: unknown };
  const failure = new ApiFailure(
    res.status,
    typeof err.error === 'string' ? err.error : 'error',
    typeof err.error_description === 'string' ? err.error_description : `The gateway answered ${res.status}`,
  );
  if (auth && res.status === 401) {
    token = undefined;
    onSignedOut?.(`Your session ended (${failure.code}). Sign in again.`);
  }
  throw failure;
}

/** POST /authtoken. Any 401 is one message: the page never says which of the two was wrong. */
export async function signIn(clientName: string, clientSecret: string): Promise<void> {
  const answer = (await send('POST', '/authtoken', { clientName, clientSecret }, false)) as { token?: unknown } | undefined;
  if (typeof answer?.token !== 'string') throw new ApiFailure(502, 'bad_answer', 'The gateway gave no token.');
  token = answer.token;
}

export function call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  return send(method, path, body, true) as Promise<T>;
}
