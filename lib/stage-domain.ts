/**
 * A stage's custom domain: a regional API Gateway domain name with the tenant's ACM
 * certificate and a TLS 1.2 minimum, mapped at its root to the stage, so the stage's base URL
 * is `https://{domain}` with no path; optionally the Route 53 alias record for it.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { StageDomain as StageDomainConfig } from './tenant-config';

export interface StageDomainProps {
  readonly domain: StageDomainConfig;
  readonly api: apigw.RestApi;
}

export class StageDomain extends Construct {
  readonly domainName: apigw.DomainName;
  /** `https://{domain}`: the stage's base URL and issuer identifier. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: StageDomainProps) {
    super(scope, id);
    const { domain, api } = props;
    const region = Stack.of(this).region;
    const certRegion = domain.certificateArn.split(':')[3];
    // A regional domain only takes a certificate of its own region; fail at synth, not deploy.
    if (!Token.isUnresolved(region) && certRegion !== region) {
      throw new Error(
        `the certificate of ${domain.name} is in ${certRegion}, the stage in ${region}: regional domains need one in ${region}`,
      );
    }
    this.domainName = new apigw.DomainName(this, 'Domain', {
      domainName: domain.name,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
      endpointType: apigw.EndpointType.REGIONAL,
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
    });
    // No basePath: the stage answers at the domain's root, as its base URL says.
    new apigw.BasePathMapping(this, 'Mapping', { domainName: this.domainName, restApi: api, stage: api.deploymentStage });
    if (domain.hostedZone) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: domain.hostedZone.id,
        zoneName: domain.hostedZone.name,
      });
      new route53.ARecord(this, 'Alias', {
        zone,
        recordName: `${domain.name}.`,
        target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(this.domainName)),
      });
    }
    this.url = `https://${domain.name}`;
  }
}
