/**
 * A function's role as IAM would see it once deployed: the synthesized template's policies with
 * every intrinsic resolved to the physical names a fixed account and region would give them, so a
 * policy simulator can evaluate real ARNs. Physical names embed the stack name, so one stack's
 * table, key and REST API never look like another's.
 */
import type { Template } from 'aws-cdk-lib/assertions';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly Record<string, unknown>[];
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/**
 * AWSLambdaBasicExecutionRole as AWS publishes it (logs only), so the simulated role is the whole role.
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html
 */
const MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
};

export class ResolvedStack {
  private readonly resources: Readonly<Record<string, CfnResource>>;

  constructor(
    readonly stackName: string,
    template: Template,
  ) {
    this.resources = template.toJSON().Resources as Record<string, CfnResource>;
  }

  private physicalName(logicalId: string): string {
    return `${this.stackName}-${logicalId}`.toLowerCase();
  }

  /** Fake but unique: a 10-character API id per stack, as API Gateway's ids look. */
  private restApiId(logicalId: string): string {
    let h = 0;
    for (const c of `${this.stackName}/${logicalId}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return h.toString(36).padStart(10, '0').slice(-10);
  }

  ref(logicalId: string): string {
    switch (logicalId) {
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::Region':
        return REGION;
      case 'AWS::AccountId':
        return ACCOUNT;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.stackName;
    }
    const r = this.resources[logicalId];
    if (!r) throw new Error(`${this.stackName}: Ref to unknown ${logicalId}`);
    if (r.Type === 'AWS::ApiGateway::RestApi') return this.restApiId(logicalId);
    return this.physicalName(logicalId);
  }

  getAtt(logicalId: string, attribute: string): string {
    const r = this.resources[logicalId];
    if (!r) throw new Error(`${this.stackName}: GetAtt of unknown ${logicalId}`);
    const name = this.ref(logicalId);
    if (attribute !== 'Arn') {
      if (r.Type === 'AWS::ApiGateway::RestApi' && attribute === 'RootResourceId') return `${name}root`;
      throw new Error(`${this.stackName}: GetAtt ${logicalId}.${attribute} not modelled`);
    }
    switch (r.Type) {
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${name}`;
      case 'AWS::IAM::Role':
        return `arn:aws:iam::${ACCOUNT}:role/${name}`;
      case 'AWS::Lambda::Function':
        return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
      case 'AWS::Logs::LogGroup':
        return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`;
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
      default:
        return `arn:aws:${r.Type.split('::')[1]?.toLowerCase()}:${REGION}:${ACCOUNT}:${name}`;
    }
  }

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (typeof value !== 'object' || value === null) return value;
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const [k] = keys as [string];
      const arg = o[k];
      if (k === 'Ref') return this.ref(String(arg));
      if (k === 'Fn::GetAtt') {
        const [id, att] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
        return this.getAtt(id as string, att as string);
      }
      if (k === 'Fn::Join') {
        const [sep, parts] = arg as [string, unknown[]];
        return parts.map((p) => String(this.resolve(p))).join(sep);
      }
      if (k === 'Fn::Sub') {
        const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
        return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
          if (name in vars) return String(this.resolve(vars[name]));
          const [id, att] = name.split('.');
          return att ? this.getAtt(id as string, att) : this.ref(name);
        });
      }
      if (k.startsWith('Fn::')) throw new Error(`${this.stackName}: ${k} not modelled`);
    }
    return Object.fromEntries(keys.map((k) => [k, this.resolve(o[k])]));
  }

  /** The logical id of the only resource of `type` (the table, the key, the REST API). */
  only(type: string): string {
    const ids = Object.entries(this.resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);
    if (ids.length !== 1) throw new Error(`${this.stackName}: expected one ${type}, found ${ids.length}`);
    return ids[0] as string;
  }

  get tableArn(): string {
    return this.getAtt(this.only('AWS::DynamoDB::Table'), 'Arn');
  }

  get keyArn(): string {
    return this.getAtt(this.only('AWS::KMS::Key'), 'Arn');
  }

  get restApiIdValue(): string {
    return this.ref(this.only('AWS::ApiGateway::RestApi'));
  }

  /** The id of the stage's `default` tier usage plan (every stage has that tier). */
  get defaultTierPlanIdValue(): string {
    const found = Object.entries(this.resources).find(
      ([, r]) =>
        r.Type === 'AWS::ApiGateway::UsagePlan' &&
        JSON.stringify(r.Properties?.Tags ?? []).includes('{"Key":"workoutkit:tier","Value":"default"}'),
    );
    if (!found) throw new Error(`${this.stackName}: no default tier usage plan`);
    return this.ref(found[0]);
  }

  /** The key's resource policy (KMS evaluates it together with the caller's identity policies). */
  get keyPolicy(): PolicyDocument {
    const id = this.only('AWS::KMS::Key');
    return this.resolve(this.resources[id]?.Properties?.KeyPolicy) as PolicyDocument;
  }

  /** The function whose Description ends with `description` (FUNCTIONS / SCHEDULED_FUNCTIONS). */
  functionId(description: string): string {
    const hits = Object.entries(this.resources).filter(
      ([, r]) => r.Type === 'AWS::Lambda::Function' && String(r.Properties?.Description).endsWith(description),
    );
    if (hits.length !== 1) throw new Error(`${this.stackName}: ${hits.length} functions described as ${description}`);
    return (hits[0] as [string, CfnResource])[0];
  }

  /** The execution role of a function and every policy on it (inline, attached, managed). */
  rolePolicies(functionId: string): { roleArn: string; policies: { name: string; policy: PolicyDocument }[] } {
    const role = this.resources[functionId]?.Properties?.Role as { 'Fn::GetAtt': [string, string] };
    const roleId = role['Fn::GetAtt'][0];
    const roleProps = this.resources[roleId]?.Properties ?? {};
    const policies: { name: string; policy: PolicyDocument }[] = [];
    for (const managed of (roleProps.ManagedPolicyArns as unknown[] | undefined) ?? []) {
      const arn = String(this.resolve(managed));
      const doc = MANAGED_POLICIES[arn];
      if (!doc) throw new Error(`${this.stackName}: managed policy ${arn} is not modelled; add its document`);
      policies.push({ name: arn.split('/').pop() as string, policy: doc });
    }
    for (const inline of (roleProps.Policies as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ?? []) {
      policies.push({ name: inline.PolicyName, policy: this.resolve(inline.PolicyDocument) as PolicyDocument });
    }
    for (const [id, r] of Object.entries(this.resources)) {
      if (r.Type !== 'AWS::IAM::Policy') continue;
      const roles = ((r.Properties?.Roles as unknown[]) ?? []).map((x) => (x as { Ref?: string }).Ref);
      if (roles.includes(roleId)) policies.push({ name: id, policy: this.resolve(r.Properties?.PolicyDocument) as PolicyDocument });
    }
    return { roleArn: this.getAtt(roleId, 'Arn'), policies };
  }
}
