/**
 * One table per deployment (tenant × stage). Generic keys so every access pattern of the
 * contract is a GetItem/Query on one partition; lib/ and the local store create the table
 * from these names.
 *
 * | item               | pk                         | sk                     |
 * |--------------------|----------------------------|------------------------|
 * | client profile     | CLIENT#<name>              | PROFILE                |
 * | API key lookup     | APIKEY#<sha256(key)>       | APIKEY                 |
 * | signing key        | SIGNING_KEYS               | KEY#<created>#<kid>    |
 * | deployment secret  | DEPLOYMENT                 | SECRET#<purpose>       |
 * | revoked jti        | REVOKED#<jti>              | JTI                    |
 * | authtoken failures | AUTHFAIL#<name>            | WINDOW                 |
 * | launch token       | LAUNCH#<jti>               | TOKEN                  |
 * | workout session    | SESSION#<id>               | CONTENT                |
 * | catalogue entry    | CATALOG                    | SESSION#<id>           |
 * | user event         | EVENTS#<client>#<sub>      | <iso time>#<id>        |
 * | idempotency claim  | IDEMPOTENCY#<client>#<key>#<sub> | EVENTS           |
 * | deleted client     | CLIENT#<name>              | DELETED                |
 * | client counter     | USAGE#C#<client>#<shard>   | <period>#<start day>   |
 * | deployment counter | USAGE#D#<shard>            | <period>#<start day>   |
 * | auth failure log   | AUTHLOG#<client>           | <iso time>#<id>        |
 * | used assertion jti | ASSERTION#<sha256(c, jti)> | JTI                    |
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;
/** A client's profile item. Here rather than in the client store: the API key store writes the key onto it. */
export const clientKey = (clientName: string) => ({ pk: `CLIENT#${clientName}`, sk: 'PROFILE' });
/** Epoch seconds; DynamoDB TTL deletes late, so every read also filters on it. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * The client index: every client profile by name, for periodic jobs (the quota monitor) to
 * Query instead of scanning the table. Keyed on attributes profiles already carry (`type` =
 * `client`, `clientName`), so existing profiles are in it as soon as it exists; the only other
 * items with both attributes are API key lookups (`type` = `apikey`), which a Query on `client`
 * never reads.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html
 */
export const CLIENT_INDEX = {
  name: 'clients',
  partitionKey: 'type',
  sortKey: 'clientName',
  /** Projected besides the keys: what the monitor needs of a client. */
  projected: ['quota', 'tier', 'createdAt', 'disabled'],
} as const;
