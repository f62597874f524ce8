/** What the /v1/settings routes answer (docs/portal.md). */
export interface KeyDescription {
  kid: string | null;
  algs: string[];
  source: 'jwks' | 'jwks_uri' | 'pem';
}

export interface Settings {
  clientName: string;
  stage: string;
  scopes: string[] | null;
  keys: { kind: 'jwks' | 'jwks_uri' | 'pem'; updatedAt: string; jwksUri?: string; keys: KeyDescription[] } | null;
  secrets: { createdAt: string; validUntil?: string; active: boolean }[];
}

export interface Usage {
  used: number;
  limit: number | null;
  period: string | null;
  remaining: number | null;
  resetsAt: string | null;
}

/** GET /v1/settings/usage: the client's counter, and its deployment's (null when the stage has no deployment quota). */
export interface UsageAnswer extends Usage {
  tier?: string;
  deployment: Usage | null;
}

export interface AuthFailure {
  at: string;
  reason: string;
  tokenKind: string;
}

export interface AuthFailures {
  since: string;
  counted: number;
  byReason: Record<string, number>;
  recent: AuthFailure[];
}

export interface RotatedSecret {
  clientSecret: string;
  previousValidUntil: string;
}
