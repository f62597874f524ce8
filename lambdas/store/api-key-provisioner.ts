/**
 * A client's API key in API Gateway: created with the client, attached to its tier's usage plan
 * (one plan per tier, defined in the stage's template: throttle only, bound to the stage), moved
 * to another plan on a tier change, detached and deleted with the client. With the API's key
 * source set to AUTHORIZER, the authorizer returns the key's value as usageIdentifierKey and API
 * Gateway throttles the request by the plan the key is attached to.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html
 *
 * Every multi-step change undoes its earlier steps when a later one fails and then throws (503),
 * so a failed call leaves API Gateway as it was; an undo that fails too is logged by the caller
 * and named in the error. Quota is not API Gateway's here: usage plans are best-effort ("not
 * hard limits"), so the project counts quota itself (lambdas/store/usage-counter-store.ts).
 *
 * The tiers' plan ids are not in the functions' environment (a plan is bound to the stage, the
 * stage's deployment needs the API's methods, the methods need the function: a cycle), so they
 * are looked up once per container with GetUsagePlans by the tags the template puts on them.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_GetUsagePlans.html
 */
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import { ServiceUnavailableError } from '../core/errors';
import { guarded } from './store-errors';

/** Tags on the stage's resources; IAM conditions on the first (lib/usage-plan-access.ts). */
export const DEPLOYMENT_TAG = 'workoutkit:deployment';
export const TIER_TAG = 'workoutkit:tier';
export const deploymentTagValue = (restApiId: string, stage: string): string => `${restApiId}/${stage}`;

export interface ProvisionedKey {
  /** API Gateway's id of the key (absent locally). */
  awsKeyId?: string;
}

export interface ApiKeyProvisioner {
  readonly kind: 'apigateway' | 'local';
  /** CreateApiKey + CreateUsagePlanKey on the tier's plan; the key is deleted again if attaching fails. */
  create(input: { clientName: string; apiKey: string; tier: string }): Promise<ProvisionedKey>;
  /** Attaches the key to the new tier's plan, then detaches it from the old one (undone if that fails). */
  move(key: ProvisionedKey, fromTier: string, toTier: string): Promise<void>;
  /** Detaches the key from its tier's plan and deletes it (a key already gone is not an error). */
  remove(key: ProvisionedKey, tier: string): Promise<void>;
}

/** Locally the gateway throttles by the client's tier itself (local/usage-metering.ts): nothing to register. */
export const localKeyProvisioner: ApiKeyProvisioner = {
  kind: 'local',
  create: async () => ({}),
  move: async () => undefined,
  remove: async () => undefined,
};

export interface ApiGatewayKeyOptions {
  restApiId: string;
  stage: string;
  tenant: string;
  client?: APIGatewayClient;
}

const isNotFound = (err: unknown): boolean => err instanceof Error && err.name === 'NotFoundException';

export class ApiGatewayKeyProvisioner implements ApiKeyProvisioner {
  readonly kind = 'apigateway';
  private readonly client: APIGatewayClient;
  private plans?: Promise<Map<string, string>>;

  constructor(private readonly options: ApiGatewayKeyOptions) {
    this.client = options.client ?? new APIGatewayClient({ maxAttempts: 3 });
  }

  async create(input: { clientName: string; apiKey: string; tier: string }): Promise<ProvisionedKey> {
    const planId = await this.planOf(input.tier);
    const { restApiId, stage, tenant } = this.options;
    // https://docs.aws.amazon.com/apigateway/latest/api/API_CreateApiKey.html
    // iam: apigateway:POST arn:aws:apigateway:${region}::/apikeys aws:RequestTag/workoutkit:deployment=${restApiId}/${stage} aws:TagKeys=workoutkit:deployment
    const key = await guarded('create api key', () =>
      this.client.send(
        new CreateApiKeyCommand({
          name: `${tenant}/${stage}/${input.clientName}`,
          description: 'WorkoutKit client key',
          enabled: true,
          value: input.apiKey,
          tags: { [DEPLOYMENT_TAG]: deploymentTagValue(restApiId, stage) },
        }),
      ),
    );
    const awsKeyId = key.id;
    if (!awsKeyId) throw new ServiceUnavailableError('API Gateway returned no api key id');
    try {
      await this.attach(planId, awsKeyId);
    } catch (err) {
      // iam: apigateway:DELETE arn:aws:apigateway:${region}::/apikeys/<keyId> aws:ResourceTag/workoutkit:deployment=${restApiId}/${stage}
      await this.undo('delete api key', () => this.client.send(new DeleteApiKeyCommand({ apiKey: awsKeyId })), err);
    }
    return { awsKeyId };
  }

  async move(key: ProvisionedKey, fromTier: string, toTier: string): Promise<void> {
    if (!key.awsKeyId || fromTier === toTier) return;
    const awsKeyId = key.awsKeyId;
    const [from, to] = await Promise.all([this.planOf(fromTier), this.planOf(toTier)]);
    // Attach first: a key in no plan would be refused (403) by every method that requires one.
    await this.attach(to, awsKeyId);
    try {
      await this.detach(from, awsKeyId);
    } catch (err) {
      await this.undo('detach api key', () => this.detach(to, awsKeyId), err);
    }
  }

  async remove(key: ProvisionedKey, tier: string): Promise<void> {
    if (!key.awsKeyId) return;
    const awsKeyId = key.awsKeyId;
    await this.detach(await this.planOf(tier), awsKeyId);
    // https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteApiKey.html
    // iam: apigateway:DELETE arn:aws:apigateway:${region}::/apikeys/<keyId> aws:ResourceTag/workoutkit:deployment=${restApiId}/${stage}
    await guarded('delete api key', () =>
      this.client.send(new DeleteApiKeyCommand({ apiKey: awsKeyId })).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
        return undefined;
      }),
    );
  }

  /** https://docs.aws.amazon.com/apigateway/latest/api/API_CreateUsagePlanKey.html */
  private async attach(planId: string, awsKeyId: string): Promise<void> {
    // iam: apigateway:POST arn:aws:apigateway:${region}::/usageplans/${tierPlan}/keys
    await guarded('attach api key', () =>
      this.client.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId: awsKeyId, keyType: 'API_KEY' })),
    );
  }

  /** https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteUsagePlanKey.html (a key not attached is fine). */
  private async detach(planId: string, awsKeyId: string): Promise<void> {
    // iam: apigateway:DELETE arn:aws:apigateway:${region}::/usageplans/${tierPlan}/keys/<keyId>
    await guarded('detach api key', () =>
      this.client.send(new DeleteUsagePlanKeyCommand({ usagePlanId: planId, keyId: awsKeyId })).catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
        return undefined;
      }),
    );
  }

  /** Runs the undo of a failed step, then throws: the original failure, naming a failed undo too. */
  private async undo(what: string, step: () => Promise<unknown>, original: unknown): Promise<never> {
    try {
      await step();
    } catch (undoErr) {
      throw new ServiceUnavailableError(`A dependency is unavailable; undoing the change failed too (${what})`, {
        cause: new Error(`${String(original)}; undo ${what}: ${String(undoErr)}`),
      });
    }
    throw original;
  }

  private async planOf(tier: string): Promise<string> {
    const plans = await (this.plans ??= this.findPlans().catch((err: unknown) => {
      this.plans = undefined; // retry on the next call
      throw err;
    }));
    const id = plans.get(tier);
    if (!id) throw new ServiceUnavailableError(`No usage plan of tier ${tier} is bound to this stage`);
    return id;
  }

  /** The stage's tier plans by tier name: GetUsagePlans pages (at most 500 plans each), by tag. */
  private async findPlans(): Promise<Map<string, string>> {
    const want = deploymentTagValue(this.options.restApiId, this.options.stage);
    const found = new Map<string, string>();
    let position: string | undefined;
    do {
      // iam: apigateway:GET arn:aws:apigateway:${region}::/usageplans
      const page = await guarded('list usage plans', () =>
        this.client.send(new GetUsagePlansCommand({ limit: 500, ...(position ? { position } : {}) })),
      );
      for (const plan of page.items ?? []) {
        const tier = plan.tags?.[TIER_TAG];
        if (plan.id && tier && plan.tags?.[DEPLOYMENT_TAG] === want) found.set(tier, plan.id);
      }
      position = page.position;
    } while (position);
    return found;
  }
}
