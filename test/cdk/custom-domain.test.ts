/**
 * Custom domains and per-tenant AWS environments in the synthesized templates: a stage with a
 * domain gets a regional TLS 1.2 domain name mapped at its root to the stage, the alias record
 * when a hosted zone is named, and that URL as its issuer; a tenant with its own account and
 * region gets stacks there while the others keep the CLI's default.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { StageStack } from '../../lib/stage-stack';
import { loadTenants, parseTenants } from '../../lib/tenant-config';
import { addTenantStacks } from '../../lib/tenant-stacks';
import { onlyResource, resources, synthTenants } from './template-helpers';

const tenants = loadTenants();
let stacks: StageStack[];
const templateOf = (name: string): Template => {
  const stack = stacks.find((s) => s.stackName === name);
  if (!stack) throw new Error(`no stack ${name}`);
  return Template.fromStack(stack);
};

beforeAll(() => {
  stacks = synthTenants(tenants);
});

describe('a stage with a custom domain (Initech-prod)', () => {
  test('creates a regional domain name with a TLS 1.2 minimum and the configured certificate', () => {
    const domain = tenants.find((t) => t.name === 'initech')?.stages.prod.domain;
    templateOf('Initech-prod').hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.initech.example',
      RegionalCertificateArn: domain?.certificateArn,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
  });

  test('maps the domain root to the stage, so the base URL has no path', () => {
    const t = templateOf('Initech-prod');
    const [domainId] = onlyResource(t, 'AWS::ApiGateway::DomainName');
    const [apiId] = onlyResource(t, 'AWS::ApiGateway::RestApi');
    const [stageId] = onlyResource(t, 'AWS::ApiGateway::Stage');
    const [, mapping] = onlyResource(t, 'AWS::ApiGateway::BasePathMapping');
    expect(mapping.Properties).toEqual({ DomainName: { Ref: domainId }, RestApiId: { Ref: apiId }, Stage: { Ref: stageId } });
  });

  test('adds the alias A record in the named hosted zone', () => {
    templateOf('Initech-prod').hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.initech.example.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      AliasTarget: { DNSName: Match.anyValue(), HostedZoneId: Match.anyValue() },
    });
  });

  test('makes https://{domain} the issuer of every function and the BaseUrl output', () => {
    const t = templateOf('Initech-prod');
    for (const [, fn] of resources(t, 'AWS::Lambda::Function')) {
      expect((fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.ISSUER).toBe('https://api.initech.example');
    }
    t.hasOutput('BaseUrl', { Value: 'https://api.initech.example' });
  });

  test('a domain without a hosted zone gets no DNS record (the operator points DNS at it)', () => {
    const t = templateOf('Initech-sandbox');
    t.resourceCountIs('AWS::ApiGateway::DomainName', 1);
    t.resourceCountIs('AWS::Route53::RecordSet', 0);
  });
});

describe('a stage without a domain (Acme-prod)', () => {
  test('has no domain resources, and its issuer is the execute-api URL of its own RestApi and stage', () => {
    const t = templateOf('Acme-prod');
    for (const type of ['AWS::ApiGateway::DomainName', 'AWS::ApiGateway::BasePathMapping', 'AWS::Route53::RecordSet'])
      t.resourceCountIs(type, 0);
    const [apiId] = onlyResource(t, 'AWS::ApiGateway::RestApi');
    const expected = {
      'Fn::Join': ['', ['https://', { Ref: apiId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/prod']],
    };
    for (const [, fn] of resources(t, 'AWS::Lambda::Function')) {
      expect((fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.ISSUER).toEqual(expected);
    }
    t.hasOutput('BaseUrl', { Value: expected });
  });
});

describe('tenants across accounts and regions', () => {
  test("puts a tenant's stacks in its own account and region, the others in the default environment", () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const made = addTenantStacks(app, tenants, { env: { account: '000011112222', region: 'eu-west-1' } });
    const envOf = (name: string) => {
      const s = made.find((x) => x.stackName === name) as Stack;
      return { account: s.account, region: s.region };
    };
    expect(envOf('Initech-prod')).toEqual({ account: '123456789012', region: 'eu-central-1' });
    expect(envOf('Initech-sandbox')).toEqual({ account: '123456789012', region: 'eu-central-1' });
    expect(envOf('Acme-prod')).toEqual({ account: '000011112222', region: 'eu-west-1' });
  });

  test('a tenant naming only its region keeps the default account', () => {
    const [t] = parseTenants([{ ...JSON.parse(JSON.stringify(tenants[0])), name: 'hooli', region: 'ap-southeast-2' }]);
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const [s] = addTenantStacks(app, t ? [t] : [], { env: { account: '000011112222', region: 'eu-west-1' } });
    expect({ account: s?.account, region: s?.region }).toEqual({ account: '000011112222', region: 'ap-southeast-2' });
  });

  test("refuses at synth a certificate from another region than the stage's", () => {
    const initech = tenants.find((t) => t.name === 'initech');
    if (!initech) throw new Error('initech missing from tenants.json');
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const { account: _a, region: _r, ...rest } = initech;
    expect(() => addTenantStacks(app, [{ ...rest, name: 'moved' }], { env: { account: '123456789012', region: 'us-west-2' } })).toThrow(
      /certificate of .* is in eu-central-1, the stage in us-west-2/,
    );
  });
});
