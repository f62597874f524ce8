/**
 * The developer portal: sign in with clientName + clientSecret, then the client's own
 * settings through /v1/settings (docs/portal.md). No framework: a handful of forms.
 */
import { ApiFailure, call, signIn, signOut, whenSessionEnds } from './api';
import { byId, formatTime, say } from './dom';
import type { AuthFailures, RotatedSecret, Settings, UsageAnswer } from './types';
import { renderFailures, renderSettings, renderUsage } from './views';

/** One text for an unknown clientName and a wrong secret alike (contract: invalid_client). */
export const SIGN_IN_FAILED = 'Sign-in failed: the client name or the client secret is not right.';

const describe = (err: unknown): string =>
  err instanceof ApiFailure ? (err.status === 0 ? err.message : `${err.code}: ${err.message}`) : 'Something went wrong.';

function showView(signedInView: boolean): void {
  byId('sign-in-view').hidden = signedInView;
  byId('dashboard').hidden = !signedInView;
  byId('sign-out').hidden = !signedInView;
}

/** Loads one section; its failure shows in that section and leaves the others working. */
async function loadSection<T>(path: string, render: (v: T) => void, errorId: string): Promise<void> {
  try {
    render(await call<T>('GET', path));
    say(byId(errorId), '');
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) throw err;
    say(byId(errorId), describe(err));
  }
}

const loadUsage = () => loadSection<UsageAnswer>('/v1/settings/usage', renderUsage, 'usage-error');
const loadFailures = () => loadSection<AuthFailures>('/v1/settings/auth-failures', renderFailures, 'failures-error');

/** Settings first: a client without the settings scope is told so at sign-in. */
async function loadAll(): Promise<void> {
  renderSettings(await call<Settings>('GET', '/v1/settings'));
  await Promise.all([loadUsage(), loadFailures()]);
}

function endSession(message: string): void {
  signOut();
  byId<HTMLInputElement>('new-secret-value').value = '';
  byId('new-secret').hidden = true;
  showView(false);
  say(byId('sign-in-error'), message);
  byId<HTMLInputElement>('client-name').focus();
}

async function onSignIn(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const error = byId('sign-in-error');
  const name = byId<HTMLInputElement>('client-name');
  const secret = byId<HTMLInputElement>('client-secret');
  say(error, '');
  if (name.value.trim() === '' || secret.value === '') {
    say(error, 'Enter the client name and the client secret.');
    (name.value.trim() === '' ? name : secret).focus();
    return;
  }
  const button = form.querySelector('button');
  if (button) button.disabled = true;
  try {
    await signIn(name.value.trim(), secret.value);
    secret.value = '';
    await loadAll();
    showView(true);
    byId('dashboard-title').focus();
  } catch (err) {
    signOut();
    if (err instanceof ApiFailure && err.code === 'invalid_client') say(error, SIGN_IN_FAILED);
    else if (err instanceof ApiFailure && err.status === 403)
      say(error, 'Signed in, but this client lacks the settings scope. Ask your WorkoutKit operator to grant it.');
    else if (err instanceof ApiFailure && err.status === 429) say(error, 'Too many attempts. Wait a few minutes, then try again.');
    else say(error, describe(err));
    secret.focus();
  } finally {
    if (button) button.disabled = false;
  }
}

function pastedKeysBody(): unknown {
  const mode = document.querySelector<HTMLInputElement>('input[name="keys-mode"]:checked')?.value;
  if (mode === 'url') {
    const uri = byId<HTMLInputElement>('jwks-uri').value.trim();
    if (uri === '') throw new ApiFailure(400, 'invalid_request', 'Enter the JWKS URL.');
    return { jwksUri: uri };
  }
  const text = byId<HTMLTextAreaElement>('jwks-text').value.trim();
  if (text === '') throw new ApiFailure(400, 'invalid_request', 'Paste a JWKS (a JSON object with "keys").');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiFailure(400, 'invalid_request', 'The pasted JWKS is not valid JSON.');
  }
  // A lone JWK is accepted as a one-key set; the gateway validates everything else.
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && !('keys' in parsed) && 'kty' in parsed)
    parsed = { keys: [parsed] };
  return { jwks: parsed };
}

async function onRegisterKeys(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const error = byId('keys-error');
  const status = byId('status');
  say(error, '');
  try {
    await call('PUT', '/v1/settings/keys', pastedKeysBody());
    renderSettings(await call<Settings>('GET', '/v1/settings'));
    byId<HTMLTextAreaElement>('jwks-text').value = '';
    say(status, 'Keys registered. Tokens signed with them are accepted within the authorizer cache time.');
  } catch (err) {
    say(error, describe(err));
    byId(document.querySelector<HTMLInputElement>('input[name="keys-mode"]:checked')?.value === 'url' ? 'jwks-uri' : 'jwks-text').focus();
  }
}

async function onRotate(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const error = byId('rotate-error');
  say(error, '');
  const grace = Number(byId<HTMLInputElement>('grace-seconds').value);
  if (!Number.isInteger(grace) || grace < 0 || grace > 604800) {
    say(error, 'The grace period is a whole number of seconds from 0 to 604800 (7 days).');
    byId('grace-seconds').focus();
    return;
  }
  if (!window.confirm('Rotate the client secret? The current secret keeps working only for the grace period.')) return;
  try {
    const rotated = await call<RotatedSecret>('POST', '/v1/settings/rotate-secret', { graceSeconds: grace });
    const out = byId<HTMLInputElement>('new-secret-value');
    out.value = rotated.clientSecret;
    byId('previous-valid-until').textContent = formatTime(rotated.previousValidUntil);
    byId('previous-valid-until').setAttribute('datetime', rotated.previousValidUntil);
    byId('new-secret').hidden = false;
    out.focus();
    out.select();
    say(byId('status'), 'New secret created. Copy it now: it is not shown again.');
    renderSettings(await call<Settings>('GET', '/v1/settings'));
  } catch (err) {
    say(error, describe(err));
  }
}

async function onCopy(): Promise<void> {
  const out = byId<HTMLInputElement>('new-secret-value');
  try {
    await navigator.clipboard.writeText(out.value);
    say(byId('status'), 'Secret copied to the clipboard.');
  } catch {
    out.focus();
    out.select();
    say(byId('status'), 'Copying is blocked here: the secret is selected, press Ctrl+C (or Cmd+C).');
  }
}

async function onRefresh(): Promise<void> {
  try {
    await Promise.all([loadUsage(), loadFailures()]);
    say(byId('status'), `Refreshed at ${formatTime(new Date().toISOString())}.`);
  } catch (err) {
    say(byId('alert'), describe(err));
  }
}

function syncKeysMode(): void {
  const url = document.querySelector<HTMLInputElement>('input[name="keys-mode"]:checked')?.value === 'url';
  byId('jwks-text-field').hidden = url;
  byId('jwks-uri-field').hidden = !url;
}

function start(): void {
  whenSessionEnds(endSession);
  byId<HTMLFormElement>('sign-in-form').addEventListener('submit', (e) => void onSignIn(e));
  byId<HTMLFormElement>('keys-form').addEventListener('submit', (e) => void onRegisterKeys(e));
  byId<HTMLFormElement>('rotate-form').addEventListener('submit', (e) => void onRotate(e));
  byId('copy-secret').addEventListener('click', () => void onCopy());
  byId('refresh').addEventListener('click', () => void onRefresh());
  byId('sign-out').addEventListener('click', () => endSession('Signed out.'));
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="keys-mode"]'))
    radio.addEventListener('change', syncKeysMode);
  // An error stays until the user changes what it was about.
  for (const id of ['jwks-text', 'jwks-uri']) byId(id).addEventListener('input', () => say(byId('keys-error'), ''));
  byId('grace-seconds').addEventListener('input', () => say(byId('rotate-error'), ''));
  syncKeysMode();
  byId('no-script').hidden = true;
  showView(false);
}

start();
