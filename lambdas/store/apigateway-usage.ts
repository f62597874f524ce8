/**
 * The AWS side of UsageBackend: one API Gateway usage plan per client (the client's own
 * `quota`, else the tenant config's stage defaults), its API key bound to it, usage read back
 * with GetUsage. Plans are per client because a usage plan applies one quota and throttle to
 * each of its keys, and clients may have their own; a key belongs to one plan per stage.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
 *
 * Plans and keys are made at run time, so their ids are unknown to the stack; IAM confines
 * the admin function to the ones tagged with this deployment (lib/usage-plan-access.ts). A
 * usage plan key inherits its plan's tags for that purpose.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging-supported-resources.html
 */
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanCommand,
  GetUsageCommand,
} from '@aws-sdk/client-api-gateway';
import { isoDay, periodStart, usageReport, type EffectiveQuota, type UsageReport } from '../core/quota';
import type { StoredApiKey } from './api-key-store';
import { guarded } from './store-errors';
import type { ProvisionedKey, ProvisionInput, UsageBackend } from './usage-backend';

/** The tag IAM conditions on (lib/usage-plan-access.ts): `<restApiId>/<stage>`. */
export const DEPLOYMENT_TAG = 'workoutkit:deployment';
export const deploymentTagValue = (restApiId: string, stage: string): string => `${restApiId}/${stage}`;

export interface ApiGatewayUsageOptions {
  restApiId: string;
  stage: string;
  tenant: string;
  client?: APIGatewayClient;
}

export class ApiGatewayUsageBackend implements UsageBackend {
  readonly kind = 'apigateway';
  private readonly client: APIGatewayClient;
  private readonly tags: Record<string, string>;

  constructor(private readonly options: ApiGatewayUsageOptions) {
    this.client = options.client ?? new APIGatewayClient({ maxAttempts: 3 });
    this.tags = { [DEPLOYMENT_TAG]: deploymentTagValue(options.restApiId, options.stage) };
  }

  async provision(input: ProvisionInput): Promise<ProvisionedKey> {
    const label = `${this.options.tenant}/${this.options.stage}/${input.clientName}`;
    const done: ProvisionedKey = {};
    try {
      return await guarded('provision api key', async () => {
        // https://docs.aws.amazon.com/apigateway/latest/api/API_CreateApiKey.html
        // iam: apigateway:POST arn:aws:apigateway:${region}::/apikeys aws:RequestTag/workoutkit:deployment=${restApiId}/${stage} aws:TagKeys=workoutkit:deployment
        const key = await this.client.send(
          new CreateApiKeyCommand({ name: label, description: 'WorkoutKit client key', enabled: true, value: input.apiKey, tags: this.tags }),
        );
        done.awsKeyId = required(key.id, 'api key id');
        // https://docs.aws.amazon.com/apigateway/latest/api/API_CreateUsagePlan.html
        // iam: apigateway:POST arn:aws:apigateway:${region}::/usageplans aws:RequestTag/workoutkit:deployment=${restApiId}/${stage} aws:TagKeys=workoutkit:deployment
        const plan = await this.client.send(
          new CreateUsagePlanCommand({
            name: label,
            description: 'WorkoutKit per-client usage plan',
            apiStages: [{ apiId: this.options.restApiId, stage: this.options.stage }],
            throttle: { rateLimit: input.quota.rateLimit, burstLimit: input.quota.burstLimit },
            quota: { limit: input.quota.limit, period: input.quota.period, offset: 0 },
            tags: this.tags,
          }),
        );
        done.usagePlanId = required(plan.id, 'usage plan id');
        // https://docs.aws.amazon.com/apigateway/latest/api/API_CreateUsagePlanKey.html
        // iam: apigateway:POST arn:aws:apigateway:${region}::/usageplans/<planId>/keys aws:ResourceTag/workoutkit:deployment=${restApiId}/${stage}
        await this.client.send(new CreateUsagePlanKeyCommand({ usagePlanId: done.usagePlanId, keyId: done.awsKeyId, keyType: 'API_KEY' }));
        return { ...done };
      });
    } catch (err) {
      await this.deprovision(done);
      throw err;
    }
  }

  async deprovision(p: ProvisionedKey): Promise<void> {
    // Plan first: a plan with keys can still be deleted, a key bound to a plan too, but
    // removing the plan first leaves nothing metered by a key that is about to go.
    // iam: apigateway:DELETE arn:aws:apigateway:${region}::/usageplans/<planId> aws:ResourceTag/workoutkit:deployment=${restApiId}/${stage}
    if (p.usagePlanId) await this.client.send(new DeleteUsagePlanCommand({ usagePlanId: p.usagePlanId })).catch(() => undefined);
    // iam: apigateway:DELETE arn:aws:apigateway:${region}::/apikeys/<keyId> aws:ResourceTag/workoutkit:deployment=${restApiId}/${stage}
    if (p.awsKeyId) await this.client.send(new DeleteApiKeyCommand({ apiKey: p.awsKeyId })).catch(() => undefined);
  }

  /**
   * GetUsage answers daily [used, remaining] pairs per key for the dates asked (UTC days,
   * at most 90 days back), so the period's use is the sum over its days so far.
   * https://docs.aws.amazon.com/apigateway/latest/api/API_GetUsage.html
   */
  async usage(_clientName: string, key: StoredApiKey | undefined, quota: EffectiveQuota, nowMs: number): Promise<UsageReport> {
    if (!key?.usagePlanId || !key.awsKeyId) return usageReport(quota, 0, nowMs);
    const { usagePlanId, awsKeyId } = key;
    let used = 0;
    let position: string | undefined;
    do {
      // iam: apigateway:GET arn:aws:apigateway:${region}::/usageplans/<planId>/usage aws:ResourceTag/workoutkit:deployment=${restApiId}/${stage}
      const page = await guarded('read usage', () =>
        this.client.send(
          new GetUsageCommand({
            usagePlanId,
            keyId: awsKeyId,
            startDate: isoDay(periodStart(quota.period, nowMs)),
            endDate: isoDay(nowMs),
            ...(position ? { position } : {}),
          }),
        ),
      );
      for (const [used_] of page.items?.[awsKeyId] ?? []) used += used_ ?? 0;
      position = page.position;
    } while (position);
    return usageReport(quota, used, nowMs);
  }
}

function required(v: string | undefined, what: string): string {
  if (!v) throw new Error(`API Gateway returned no ${what}`);
  return v;
}
