/**
 * Every tenant gets both stages, each its own stack, so a sandbox deploy can never touch prod.
 */
import type { App, Environment } from 'aws-cdk-lib';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { STAGES } from '../lambdas/gateway/settings';
import { StageStack } from './stage-stack';
import { stackNameFor, type TenantConfig } from './tenant-config';

export interface TenantStacksOptions {
  /** Where tenants without their own `account`/`region` go. @default - environment-agnostic stacks */
  readonly env?: Environment;
  /** @default - the default esbuild options of WorkoutKitStage */
  readonly bundling?: nodejs.BundlingOptions;
  /** @default the repository root */
  readonly projectRoot?: string;
}

export function addTenantStacks(app: App, tenants: readonly TenantConfig[], options: TenantStacksOptions = {}): StageStack[] {
  const stacks: StageStack[] = [];
  for (const tenant of tenants) {
    for (const stage of STAGES) {
      const stackName = stackNameFor(tenant.name, stage);
      stacks.push(new StageStack(app, stackName, { ...options, ...placement(tenant, options.env), stackName, tenant, stage }));
    }
  }
  return stacks;
}

/**
 * A tenant's own `account` and `region` win over the default environment, field by field, so
 * a large tenant can live in an account of its own (docs/scaling.md) with no change of code.
 */
export function placement(tenant: TenantConfig, fallback: Environment | undefined): { env?: Environment } {
  const account = tenant.account ?? fallback?.account;
  const region = tenant.region ?? fallback?.region;
  if (account === undefined && region === undefined) return {};
  return { env: { ...(account !== undefined && { account }), ...(region !== undefined && { region }) } };
}
