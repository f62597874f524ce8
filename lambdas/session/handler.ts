/**
 * WorkoutKitTokens: the session reads that issue them (REST, and GraphQL's publicWorkoutSession)
 * and the SDK's launch check. The only function whose role can write and read launch-token
 * items (lib/stage-functions.ts); each operation id comes from the route table.
 */
import { revocationCheck } from '../runtime/caller-check';
import { depsFor, type Deps } from '../runtime/deps';
import type { RuntimeEnv } from '../runtime/env';
import { lambdaEntry } from '../runtime/entry';
import type { IntegrationHandler } from '../runtime/handler-types';
import { httpHandler, type OperationTable } from '../runtime/http';
import { quotaMeter } from '../runtime/quota-meter';
import { graphql } from './graphql';
import { launchSession } from './launch';
import { launchIssuer } from './launch-issuer';
import { getSession } from './sessions';

export function sessionOperations(deps: Deps): OperationTable<'session'> {
  const issue = launchIssuer(deps);
  return {
    getSession: getSession(deps, issue),
    graphql: graphql(deps, issue),
    launchSession: launchSession(deps),
  };
}

/** The session reads are authenticated and counted like every `jwt` route; the launch check (`none`) is neither. */
export function createSession(deps: Deps): IntegrationHandler {
  return httpHandler('session', sessionOperations(deps), {
    clock: deps.clock,
    checkCaller: revocationCheck(deps),
    admit: quotaMeter(deps),
  });
}

export function createHandler(env: RuntimeEnv): IntegrationHandler {
  return createSession(depsFor(env, 'session'));
}

export const handler: IntegrationHandler = lambdaEntry(createHandler);
