/**
 * What a handler must know of a caller on every request (and the launch check of a
 * WorkoutKitToken), read in one strongly consistent BatchGetItem: whether its jti is revoked
 * (globally or among its client's own tokens, the revocation store's keys) and its client's
 * profile (existence, disabled flag and revocation cut-off). One round trip instead of two, on the path
 * every authenticated request takes.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '../core/errors';
import type { RevocationState } from '../core/revocation';
import { isLiveRevocation, revocationKeys } from './revocation-store';
import { guarded } from './store-errors';
import { clientKey } from './table-schema';

/** What core/revocation.ts decides on. */
export type CallerState = RevocationState;

export async function readCallerState(
  doc: DynamoDBDocumentClient,
  tableName: string,
  clientName: string,
  jti: string | undefined,
  nowSeconds: number,
): Promise<CallerState> {
  const profileKey = clientKey(clientName);
  const keys = jti === undefined ? [profileKey] : [profileKey, ...revocationKeys(jti, clientName)];
  // iam: dynamodb:BatchGetItem table dynamodb:LeadingKeys=CLIENT#<clientName>,REVOKED#<sha256(jti)>
  const out = await guarded('read caller state', () =>
    doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } })),
  );
  // Fail closed: an unanswered key could be a revocation.
  if ((out.UnprocessedKeys?.[tableName]?.Keys?.length ?? 0) > 0) throw new ServiceUnavailableError('Caller state could not be read');
  const items = out.Responses?.[tableName] ?? [];
  const profile = items.find((i) => i.pk === profileKey.pk && i.sk === profileKey.sk);
  const jtiRevoked = items.some((i) => i !== profile && isLiveRevocation(i, nowSeconds));
  const state: CallerState = { jtiRevoked, clientExists: profile !== undefined };
  if (typeof profile?.revokedBefore === 'number') state.revokedBefore = profile.revokedBefore;
  if (profile?.disabled === true) state.clientDisabled = true;
  return state;
}
