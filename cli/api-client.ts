/**
 * The CLI's one way to call a stage: JSON in and out, operator calls authenticated by SigV4
 * (AWS) or the operator key (local gateway), and every failure turned into a CliError with
 * the right exit code and a hint that says what to do.
 */
import { ADMIN_KEY_HEADER } from '../lambdas/gateway/settings';
import { CliError, EXIT, usageError } from './exit-codes';
import { createSigV4Signer, type RequestSigner } from './sigv4';
import type { Target } from './target';

export interface ApiCall {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the stage base URL; path parameters already encoded. */
  readonly path: string;
  readonly body?: unknown;
  /** Sent as `application/x-www-form-urlencoded` instead of a JSON body (POST /oauth2/token). */
  readonly form?: Readonly<Record<string, string>>;
  /** Extra request headers (e.g. HTTP Basic client authentication). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Operator API: signed (AWS) or carrying the operator key (local). */
  readonly operator?: boolean;
  /** Extra hints by API error code, for this command (e.g. not_found → "create it first"). */
  readonly hints?: Readonly<Record<string, string>>;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export interface ApiClientOptions {
  readonly target: Target;
  readonly env: NodeJS.ProcessEnv;
  readonly adminKey?: string;
  /** @default 15000 */
  readonly timeoutMs?: number;
  /** Test seam: replaces the credential chain signer. */
  readonly signer?: RequestSigner;
}

export interface ApiClient {
  readonly target: Target;
  call<T = Record<string, unknown>>(call: ApiCall): Promise<T>;
  /** Like call(), but an error answer comes back instead of being thrown (for batch commands). */
  send(call: ApiCall): Promise<ApiAnswer>;
  toError(call: ApiCall, answer: ApiAnswer): CliError;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** Duck-typed: fetch's errors may come from another realm (test runners), so no instanceof. */
function networkCode(err: unknown): string | undefined {
  const e = err as { name?: unknown; message?: unknown; cause?: { code?: unknown } } | null;
  if (!e || typeof e !== 'object') return undefined;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  const code = typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  if (code && (NETWORK_CODES.has(code) || code.startsWith('ERR_TLS') || code.includes('CERT'))) return code;
  return e.name === 'TypeError' && e.message === 'fetch failed' ? (code ?? 'fetch failed') : undefined;
}

function defaultHint(code: string, status: number, target: Target, operator: boolean): string | undefined {
  const iam = target.operatorAuth.kind === 'iam';
  switch (code) {
    case 'unauthorized':
      return iam
        ? 'the stage refused the signature: check your AWS credentials (aws sts get-caller-identity)'
        : 'check WK_ADMIN_KEY (or --admin-key) — npm start prints each stage’s operator key';
    case 'invalid_client':
      return 'the clientName or secret is wrong (the secret is shown once; get a new one with: workoutkit client rotate-secret <clientName>)';
    case 'conflict':
      return 'a client with that name exists: workoutkit client show <clientName>, or choose another name';
    case 'rate_limited':
    case 'quota_exceeded':
      return 'wait for the Retry-After delay; see the client’s quota with: workoutkit usage <clientName>';
    case 'service_unavailable':
      return 'a dependency of the stage is down; retry shortly and check the stage’s dashboard and alarms';
    case 'not_found':
      return 'check that --url names the stage (…/sandbox or …/prod) and that the stage is deployed with this route';
    default:
      break;
  }
  if (iam && operator && (status === 403 || status === 400 || (status === 401 && code === ''))) {
    return 'IAM refused the call: the signing principal needs execute-api:Invoke on this stage’s /admin/* (check AWS_PROFILE and --region)';
  }
  return undefined;
}

function describe(body: unknown, text: string): { code: string; description: string } {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.error === 'string')
      return { code: b.error, description: typeof b.error_description === 'string' ? b.error_description : '' };
    // API Gateway's own answers (IAM refusals) are {"message": ...}.
    if (typeof b.message === 'string' || typeof b.Message === 'string') return { code: '', description: String(b.message ?? b.Message) };
  }
  return { code: '', description: text.slice(0, 200) };
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const { target } = options;
  const timeoutMs = options.timeoutMs ?? 15_000;
  let signer = options.signer;

  const operatorHeaders = async (method: string, url: URL, headers: Record<string, string>, body: string | undefined) => {
    if (target.operatorAuth.kind === 'iam') {
      signer ??= createSigV4Signer(target.operatorAuth.region);
      return signer({ method, url, headers, ...(body === undefined ? {} : { body }) });
    }
    const stageVar = target.stage ? `WK_ADMIN_KEY_${target.stage.toUpperCase()}` : undefined;
    const key = options.adminKey ?? options.env.WK_ADMIN_KEY ?? (stageVar ? options.env[stageVar] : undefined);
    if (!key) {
      throw usageError(
        'The operator API needs the stage’s operator key',
        `set WK_ADMIN_KEY${stageVar ? ` (or ${stageVar})` : ''} or pass --admin-key — npm start prints it at start-up`,
      );
    }
    return { ...headers, [ADMIN_KEY_HEADER]: key };
  };

  const send = async (call: ApiCall): Promise<ApiAnswer> => {
    const url = new URL(`${target.baseUrl}${call.path}`);
    const body =
      call.form !== undefined ? new URLSearchParams(call.form).toString() : call.body === undefined ? undefined : JSON.stringify(call.body);
    const contentType = call.form !== undefined ? 'application/x-www-form-urlencoded' : 'application/json';
    let headers: Record<string, string> = {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': contentType }),
      ...call.headers,
    };
    if (call.operator) headers = await operatorHeaders(call.method, url, headers, body);
    let res: Response;
    try {
      res = await fetch(url, {
        method: call.method,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
        ...(body === undefined ? {} : { body }),
      });
    } catch (err) {
      const code = networkCode(err);
      if (code === undefined) throw err;
      const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
      throw new CliError(EXIT.network, `Could not reach ${url.origin} (${code})`, {
        hint: local
          ? 'is the local gateway running? start it with: npm start'
          : 'check the URL, your network/VPN, and that the stage is deployed',
        cause: err,
      });
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      // A non-JSON answer (a proxy's HTML page) stays text; toError shows its start.
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };

  const toError = (call: ApiCall, answer: ApiAnswer): CliError => {
    const { code, description } = describe(answer.body, typeof answer.body === 'string' ? answer.body : '');
    const hint = call.hints?.[code] ?? defaultHint(code, answer.status, target, call.operator === true);
    const retry = answer.headers.get('retry-after');
    const message = `${code || 'HTTP error'} (HTTP ${answer.status})${description ? `: ${description}` : ''}${retry ? ` — retry after ${retry} s` : ''}`;
    return new CliError(EXIT.api, message, { code: code || `http_${answer.status}`, status: answer.status, ...(hint ? { hint } : {}) });
  };

  return {
    target,
    send,
    toError,
    async call<T>(call: ApiCall): Promise<T> {
      const answer = await send(call);
      if (answer.status >= 400) throw toError(call, answer);
      return answer.body as T;
    },
  };
}
