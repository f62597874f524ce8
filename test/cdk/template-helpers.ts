/**
 * Reads synthesized templates by meaning (route path, function role) instead of by the
 * hashed logical ids CDK generates, so the tests survive refactors of construct ids.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { StageStack } from '../../lib/stage-stack';
import type { TenantConfig } from '../../lib/tenant-config';
import { addTenantStacks } from '../../lib/tenant-stacks';

export type Json = Record<string, unknown>;
interface CfnResource {
  Type: string;
  Properties?: Json;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/**
 * Bundling 5 functions per stack with esbuild takes seconds; `aws:cdk:bundling-stacks: []`
 * makes Stack.bundlingRequired false, so assets are staged without running esbuild.
 * `npx cdk synth` (no such context) still bundles for real.
 */
export function synthTenants(tenants: readonly TenantConfig[]): StageStack[] {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return addTenantStacks(app, tenants);
}

export function resources(template: Template, type: string): [string, CfnResource][] {
  const all = template.toJSON().Resources as Record<string, CfnResource>;
  return Object.entries(all).filter(([, r]) => r.Type === type);
}

export function onlyResource(template: Template, type: string): [string, CfnResource] {
  const found = resources(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as [string, CfnResource];
}

function refOf(v: unknown): string | undefined {
  if (typeof v === 'object' && v !== null && 'Ref' in v) return String(v.Ref);
  return undefined;
}

/** `GET /v1/auth/verify` → the AWS::ApiGateway::Method properties serving it. */
export function methodsByRoute(template: Template): Map<string, Json> {
  const resourcePaths = new Map<string, string>();
  const apiResources = new Map(resources(template, 'AWS::ApiGateway::Resource'));
  const pathOf = (id: string): string => {
    const cached = resourcePaths.get(id);
    if (cached !== undefined) return cached;
    const r = apiResources.get(id);
    if (!r) return ''; // the RestApi root
    const parent = refOf(r.Properties?.ParentId);
    const p = `${parent ? pathOf(parent) : ''}/${String(r.Properties?.PathPart)}`;
    resourcePaths.set(id, p);
    return p;
  };
  const out = new Map<string, Json>();
  for (const [, m] of resources(template, 'AWS::ApiGateway::Method')) {
    const props = m.Properties ?? {};
    const resourceId = refOf(props.ResourceId);
    out.set(`${String(props.HttpMethod)} ${resourceId ? pathOf(resourceId) : '/'}`, props);
  }
  return out;
}

/** Function logical id whose Description ends with the FUNCTIONS spec description. */
export function functionIdByDescription(template: Template, description: string): string {
  const hit = resources(template, 'AWS::Lambda::Function').find(([, f]) => String(f.Properties?.Description).endsWith(description));
  if (!hit) throw new Error(`no function described as ${description}`);
  return hit[0];
}

/** The IAM actions a function's role allows (or denies), across its policies. */
export function actionsOfRole(template: Template, roleId: string, effect: 'Allow' | 'Deny' = 'Allow'): string[] {
  return statementsOfRole(template, roleId)
    .filter((s) => s.Effect === effect)
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

export interface PolicyStatementJson {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of the role's inline policies (Allow and Deny). */
export function statementsOfRole(template: Template, roleId: string): PolicyStatementJson[] {
  const out: PolicyStatementJson[] = [];
  for (const [, p] of resources(template, 'AWS::IAM::Policy')) {
    const roles = (p.Properties?.Roles as unknown[]).map(refOf);
    if (!roles.includes(roleId)) continue;
    out.push(...(p.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement);
  }
  return out;
}
