/**
 * What every function module under lambdas/<name>/handler.ts exports:
 *   export function createHandler(env: RuntimeEnv): <Integration|Authorizer>Handler
 *   export const handler  // the same, built once per container from process.env
 * The local gateway imports the module by its entry path (FUNCTIONS in
 * lambdas/gateway/routes.ts) and calls createHandler once per stage.
 */
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import type { RuntimeEnv } from './env';

export type IntegrationHandler = (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;
export type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEvent, context?: Context) => Promise<APIGatewayAuthorizerResult>;

export interface FunctionModule<H> {
  createHandler(env: RuntimeEnv): H;
}
