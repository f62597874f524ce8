/**
 * Reads tenants.json and makes `<Tenant>-sandbox` and `<Tenant>-prod` for each tenant.
 * Account and region come from the CLI's credentials (environment-agnostic when absent).
 */
import { App } from 'aws-cdk-lib';
import { loadTenants } from '../lib/tenant-config';
import { addTenantStacks } from '../lib/tenant-stacks';

const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

addTenantStacks(app, loadTenants(), account && region ? { env: { account, region } } : {});
app.synth();
