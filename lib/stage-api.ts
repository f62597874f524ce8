/**
 * The REST API of one deployment, generated from ROUTES and GATEWAY_RESPONSES (the same
 * tables the local gateway interprets), so the two cannot drift route by route.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, type FunctionName, type RouteSpec } from '../lambdas/gateway/routes';
import { AUTHORIZER_IDENTITY_HEADER, AUTHORIZERS, type StageName } from '../lambdas/gateway/settings';
import { mappedGatewayResponses } from './gateway-response-mapping';

export interface StageApiProps {
  readonly tenant: string;
  readonly stage: StageName;
  readonly functions: Readonly<Record<FunctionName, lambda.IFunction>>;
  readonly authorizerCacheTtlSeconds: number;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Stage-wide method throttle; undefined leaves the account/region default. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly routes?: readonly RouteSpec[];
}

/**
 * One JSON object per request. `$context.authorizer.*` and `$context.identity.apiKeyId` are
 * there because API Gateway has no per-client metric: usage per client comes from these lines
 * or from GetUsage (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html).
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseType: '$context.error.responseType',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integration.latency',
  authorizerLatency: '$context.authorizer.integrationLatency',
  clientName: '$context.authorizer.clientName',
  authError: '$context.authorizer.error',
  apiKeyId: '$context.identity.apiKeyId',
  caller: '$context.identity.userArn',
};

export class StageApi extends Construct {
  readonly api: apigw.RestApi;
  readonly authorizer: apigw.RequestAuthorizer;
  /** The uncached authorizer of `jwt-or-api-key` routes (AUTHORIZERS in lambdas/gateway/settings.ts). */
  readonly publicReadAuthorizer: apigw.RequestAuthorizer;

  constructor(scope: Construct, id: string, props: StageApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `workoutkit-${props.tenant}-${props.stage}`,
      description: `WorkoutKit Gateway, tenant ${props.tenant}, stage ${props.stage}`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Usage plans meter by the key the authorizer returns (usageIdentifierKey), only on an
      // Allow: refused requests never count. https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
      apiKeySourceType: apigw.ApiKeySourceType.AUTHORIZER,
      // Access logs need the account's API Gateway CloudWatch role, a per-region setting that
      // must exist once ("only one AWS::ApiGateway::Account per region per account"), so the
      // per-tenant stacks leave it to a one-time setup (docs/deploy.md).
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stage,
        tracingEnabled: true,
        metricsEnabled: true,
        // Execution logs with data tracing would log /authtoken bodies, i.e. client secrets.
        dataTraceEnabled: false,
        // ERROR-level execution logs (no bodies, no headers) show authorizer and integration
        // failures that access logs only count (cdk-nag AwsSolutions-APIG6).
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        ...(props.throttle && {
          throttlingRateLimit: props.throttle.rateLimit,
          throttlingBurstLimit: props.throttle.burstLimit,
        }),
      },
    });

    // API Gateway writes execution logs to this fixed-name group, creating it without a
    // retention if it is missing; the stack creates it first so retention and removal apply.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    const executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${props.stage}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.api.deploymentStage.node.addDependency(executionLogs);
    this.acknowledgeApiFindings();

    // One authorizer for every `jwt` method. Its cached policy is reused across methods, so
    // the authorizer allows the whole stage and handlers enforce per-route rules (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html).
    // With caching on, a request without the identity source gets 401 before the authorizer runs:
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html
    this.authorizer = new apigw.RequestAuthorizer(this, 'JwtAuthorizer', {
      handler: props.functions.authorizer,
      identitySources: AUTHORIZERS.jwt.identityHeaders.map((h) => apigw.IdentitySource.header(h)),
      resultsCacheTtl: Duration.seconds(props.authorizerCacheTtlSeconds),
    });
    // Public reads take a JWT or an x-api-key: no identity source can be required, so no
    // cache (settings.ts AUTHORIZERS explains why). Same Lambda, which sees the route.
    const publicRead = AUTHORIZERS['jwt-or-api-key'];
    this.publicReadAuthorizer = new apigw.RequestAuthorizer(this, 'PublicReadAuthorizer', {
      handler: props.functions.authorizer,
      identitySources: publicRead.identityHeaders.map((h) => apigw.IdentitySource.header(h)),
      resultsCacheTtl: Duration.seconds(publicRead.cached ? props.authorizerCacheTtlSeconds : 0),
    });
    if (publicRead.identityHeaders.length === 0) {
      // CDK writes IdentitySource: '' for an empty list; leave the property out instead.
      (this.publicReadAuthorizer.node.defaultChild as apigw.CfnAuthorizer).addPropertyDeletionOverride('IdentitySource');
    }
    // Authorizer changes reach callers only through a new Deployment. Without the
    // `@aws-cdk/aws-apigateway:authorizerChangeDeploymentLogicalId` flag CDK does not roll it
    // on authorizer edits, so a TTL change in tenants.json would silently not take effect.
    this.api.latestDeployment?.addToLogicalId({
      authorizerTtl: props.authorizerCacheTtlSeconds,
      identitySource: AUTHORIZER_IDENTITY_HEADER,
    });

    const integrations = new Map<FunctionName, apigw.LambdaIntegration>();
    for (const route of props.routes ?? ROUTES) {
      let integration = integrations.get(route.function);
      if (!integration) {
        // allowTestInvoke: false halves the Lambda permissions; console test-invoke is not used.
        integration = new apigw.LambdaIntegration(props.functions[route.function], { proxy: true, allowTestInvoke: false });
        integrations.set(route.function, integration);
      }
      const method = this.api.root.resourceForPath(route.path).addMethod(route.method, integration, {
        operationName: route.operation,
        ...this.methodAuth(route),
      });
      if (route.auth === 'none') {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            `${route.method} ${route.path} is public by the contract (ROUTES auth: none; ${route.summary}): ` +
            'it either authenticates the caller from the request itself (client secret, launch token) or serves public content.',
        });
      }
    }

    for (const r of mappedGatewayResponses()) {
      this.api.addGatewayResponse(`GatewayResponse${r.type}`, {
        type: apigw.ResponseType.of(r.type),
        statusCode: r.statusCode,
        responseHeaders: r.responseHeaders,
        templates: r.templates,
      });
    }
  }

  /** cdk-nag AwsSolutions findings that do not apply to this API (docs/deploy.md, "Security checks"). */
  private acknowledgeApiFindings(): void {
    Validations.of(this.api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Handlers validate bodies and parameters against the contract (bounded inputs, 400 invalid_request); ' +
          'the API defines no models, so an API Gateway request validator would check nothing and only mask this rule.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'No Cognito: B2B clients authenticate with gateway-issued JWTs checked by the custom REQUEST Lambda ' +
          'authorizers, operators with IAM SigV4; public routes are acknowledged one by one (APIG4).',
      },
    );
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'WAF is left to the platform team: their account-level WebACL covers the API stages, not each tenant stack.',
    });
  }

  private methodAuth(route: RouteSpec): apigw.MethodOptions {
    switch (route.auth) {
      case 'jwt':
        // apiKeyRequired: API Gateway meters the request by the Allow's key and refuses one
        // without a key of the stage's usage plans (INVALID_API_KEY), so none runs unmetered.
        return { authorizationType: apigw.AuthorizationType.CUSTOM, authorizer: this.authorizer, apiKeyRequired: true };
      case 'jwt-or-api-key':
        // Metered the same way: the Allow carries the client's key (from the JWT's client or x-api-key).
        return { authorizationType: apigw.AuthorizationType.CUSTOM, authorizer: this.publicReadAuthorizer, apiKeyRequired: true };
      case 'operator':
        // SigV4: only the platform team's IAM principals reach the operator API.
        return { authorizationType: apigw.AuthorizationType.IAM };
      case 'none':
        return { authorizationType: apigw.AuthorizationType.NONE };
    }
  }
}
