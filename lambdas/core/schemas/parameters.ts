/**
 * Path, query and header parameters, declared once for validation and for the document.
 * The authorizer tests the same patterns without this module (core/client-name.ts,
 * core/sessions.ts, core/device-id.ts), so its bundle does not carry the schema library.
 */
import * as v from 'valibot';
import { MAX_PAGE_SIZE } from '../catalog';
import { DEVICE_ID_PATTERN } from '../device-id';
import { IDEMPOTENCY_KEY_PATTERN } from '../idempotency';
import { SESSION_ID_PATTERN } from '../workout-sessions';
import { ClientName } from './client';

export { ClientName };

const SESSION_ID_TEXT = 'must be 1-64 of [A-Za-z0-9_-], starting alphanumeric';
export const SessionId = v.pipe(
  v.string(SESSION_ID_TEXT),
  v.regex(SESSION_ID_PATTERN, SESSION_ID_TEXT),
  v.description('a workout session id'),
);

const DEVICE_TEXT = 'must be 8-128 characters of [A-Za-z0-9._:-]';
export const DeviceId = v.pipe(
  v.string(DEVICE_TEXT),
  v.regex(DEVICE_ID_PATTERN, DEVICE_TEXT),
  v.description('an app-lifecycle random device id (never a tracking id)'),
);

export const IdempotencyKey = v.pipe(
  v.string(),
  // The key, or the key in structured-field quotes (core/idempotency.ts parseIdempotencyKey).
  v.regex(new RegExp(`^(${IDEMPOTENCY_KEY_PATTERN.source.slice(1, -1)}|"${IDEMPOTENCY_KEY_PATTERN.source.slice(1, -1)}")$`)),
  v.description('1-255 of [A-Za-z0-9._:-] (e.g. a UUID), optionally in double quotes'),
);

const LIMIT_TEXT = `must be an integer from 1 to ${MAX_PAGE_SIZE}`;
/** The query string of GET /v1/{clientName}/catalog (core/catalog.ts parseCatalogQuery reads it). */
export const CatalogQuery = v.strictObject({
  limit: v.optional(
    v.pipe(
      v.string(LIMIT_TEXT),
      v.regex(/^(100|[1-9][0-9]?)$/, LIMIT_TEXT),
      v.description(`page size, 1 to ${MAX_PAGE_SIZE} (default 20)`),
    ),
  ),
  cursor: v.optional(
    v.pipe(v.string('is not valid'), v.regex(/^[A-Za-z0-9_-]{1,256}$/, 'is not valid'), v.description('from the previous page')),
  ),
});
