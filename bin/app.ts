/**
 * Reads tenants.json and makes `<Tenant>-sandbox` and `<Tenant>-prod` for each tenant.
 * Account and region come from the tenant's config, else from the CLI's credentials
 * (environment-agnostic when neither says).
 * cdk-nag's AwsSolutions pack runs on every synth: an unacknowledged finding fails it
 * (docs/deploy.md, "Security checks"). cdk-nag v3 is a policy validation plugin, not an Aspect.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadTenants } from '../lib/tenant-config';
import { addTenantStacks } from '../lib/tenant-stacks';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

// A tenant's own `account`/`region` in tenants.json override these (lib/tenant-stacks.ts).
addTenantStacks(app, loadTenants(), account && region ? { env: { account, region } } : {});
app.synth();
