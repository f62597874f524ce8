/**
 * Any failure to reach the table becomes 503 service_unavailable: the gateway
 * fails closed and never guesses.
 */
import { GatewayError, ServiceUnavailableError } from '../core/errors';

export async function guarded<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    if (err instanceof Error && err.name === 'ConditionalCheckFailedException') throw err;
    throw new ServiceUnavailableError('A dependency is unavailable', { cause: new Error(`${what}: ${String(err)}`) });
  }
}

export function isConditionFailure(err: unknown): boolean {
  return err instanceof Error && err.name === 'ConditionalCheckFailedException';
}
