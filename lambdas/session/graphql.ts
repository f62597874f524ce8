/**
 * POST /graphql. Order: device header → body → parse (token-bounded) → depth → validation
 * (introspection and "Did you mean" suggestions off in prod) → cost and one-session rule → execute. Nothing is read and no
 * token is issued before every limit passed. Errors carry GraphQL's format (the contract code
 * in extensions.code) beside the contract's `error`/`error_description`, with the contract's
 * HTTP status; the route's errorFormat makes runtime/http.ts do the same for errors raised
 * before this operation runs, and the Gateway Responses carry both shapes too.
 */
import {
  execute,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { DEVICE_HEADER, parseDeviceId } from '../core/device-id';
import { parseGraphqlBody } from '../core/schemas/sdk';
import { DeviceRequiredError, GatewayError, InvalidRequestError, NotFoundError, ServiceUnavailableError } from '../core/errors';
import { checkCost, checkDepth, fragmentsOf, MAX_TOKENS, selectedOperation } from '../core/graphql/limits';
import { projectSelection } from '../core/graphql/projection';
import { TYPE_NAME, workoutSchema } from '../core/graphql/schema';
import { isSessionId, sessionPayload } from '../core/workout-sessions';
import { errorBody } from '../core/error-answer';
import type { Deps } from '../runtime/deps';
import type { ApiResponse, Operation } from '../runtime/http';
import { logger } from '../runtime/logger';
import type { LaunchIssuer } from './launch-issuer';
import { TOKEN_HEADER } from './sessions';

interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
}

interface ResolverContext {
  clientName: string;
  sub: string;
  deviceId: string;
  token?: string;
}

const readRequest = (body: unknown): GraphqlRequest => parseGraphqlBody(body);

/**
 * GraphQL's `errors` list, with the contract's `error`/`error_description` beside it (the
 * first error whose status is the answer's), as every error body on this route carries.
 */
function gqlErrors(
  errors: readonly { message: string; code: string; status: number }[],
  status: number,
  extra: Record<string, unknown> = {},
): ApiResponse {
  const lead = errors.find((e) => e.status === status) ?? errors[0] ?? { message: 'The request was refused', code: 'invalid_request' };
  const { error, error_description } = errorBody(lead.code, lead.message);
  return {
    status,
    body: { error, error_description, errors: errors.map((e) => ({ message: e.message, extensions: { code: e.code } })), ...extra },
  };
}

/** An execution error → the contract code; anything unexpected is a 503 that says nothing. */
function contractError(err: GraphQLError): GatewayError {
  const original = err.originalError;
  if (original instanceof GatewayError) return original;
  if (original === undefined) return new InvalidRequestError(err.message); // variable coercion and the like
  logger.error('graphql resolver failure', { error: `${original.name}: ${original.message}` });
  return new ServiceUnavailableError('The service is temporarily unavailable');
}

export function graphql(deps: Pick<Deps, 'workoutSessions' | 'env'>, issue: LaunchIssuer): Operation {
  const schema = workoutSchema();
  const prod = deps.env.STAGE === 'prod';
  const rules = prod ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules;
  // With introspection off, "Did you mean …?" in validation and variable-coercion errors
  // would still spell out field, argument, type and enum names one typo at a time; prod says
  // only what is wrong. Sandbox keeps them (introspection is on there anyway).
  const hideSuggestions = prod;

  const resolveSession: GraphQLFieldResolver<unknown, ResolverContext, { id: string }> = async (_src, args, ctx, info) => {
    const stored = isSessionId(args.id) ? await deps.workoutSessions.get(args.id) : undefined;
    if (!stored) throw new NotFoundError('No such session');
    const payload = sessionPayload(stored.session);
    const typeName = TYPE_NAME[payload.type];
    const runtimeType = schema.getType(typeName) as GraphQLObjectType;
    const selected = projectSelection(
      { schema, fragments: info.fragments, variables: info.variableValues },
      runtimeType,
      info.fieldNodes,
      payload as unknown as Record<string, unknown>,
    );
    const { token } = await issue({
      clientName: ctx.clientName,
      sub: ctx.sub,
      deviceId: ctx.deviceId,
      sessionId: payload.id,
      payload: selected,
    });
    ctx.token = token;
    return { ...payload, __typename: typeName, workoutKitToken: token };
  };

  return async (req) => {
    const caller = req.caller;
    if (!caller?.sub) throw new Error('graphql needs a caller with sub');
    const rawDevice = req.headers[DEVICE_HEADER];
    if (rawDevice === undefined || rawDevice === '')
      throw new DeviceRequiredError('X-WorkoutKit-Device is required: the answer carries a WorkoutKitToken');
    const deviceId = parseDeviceId(rawDevice);
    const gq = readRequest(req.json());

    let doc;
    try {
      doc = parse(gq.query, { maxTokens: MAX_TOKENS, noLocation: true });
    } catch (err) {
      throw new InvalidRequestError(err instanceof GraphQLError ? err.message : 'Query does not parse');
    }
    const op = selectedOperation(doc, gq.operationName);
    checkDepth(op, fragmentsOf(doc));
    const invalid = validate(schema, doc, rules, { maxErrors: 20, hideSuggestions });
    if (invalid.length > 0)
      return gqlErrors(
        invalid.map((e) => ({ message: e.message, code: 'invalid_request', status: 400 })),
        400,
      );
    checkCost(schema, doc, op, gq.variables);

    const ctx: ResolverContext = { clientName: caller.clientName, sub: caller.sub, deviceId };
    const result = await execute({
      schema,
      document: doc,
      variableValues: gq.variables,
      ...(gq.operationName ? { operationName: gq.operationName } : {}),
      contextValue: ctx,
      hideSuggestions,
      rootValue: { publicWorkoutSession: resolveSession },
      // Root fields resolve through rootValue functions; everything below is property access.
      fieldResolver: (source, args, context: ResolverContext, info) => {
        const value = (source as Record<string, unknown>)[info.fieldName];
        return typeof value === 'function' ? (value as GraphQLFieldResolver<unknown, ResolverContext>)(source, args, context, info) : value;
      },
    });

    const headers: Record<string, string> = ctx.token ? { [TOKEN_HEADER]: ctx.token, 'Cache-Control': 'no-store, private' } : {};
    const extensions = ctx.token ? { extensions: { workoutkit: { token: ctx.token } } } : {};
    if (result.errors && result.errors.length > 0) {
      const mapped = result.errors.map(contractError);
      const status = Math.max(...mapped.map((e) => e.status));
      return {
        ...gqlErrors(
          mapped.map((e) => ({ message: e.message, code: e.code, status: e.status })),
          status,
          { ...(result.data === undefined ? {} : { data: result.data }), ...extensions },
        ),
        headers,
      };
    }
    return { status: 200, body: { data: result.data, ...extensions }, headers };
  };
}
