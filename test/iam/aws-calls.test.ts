import { commandActions, scanSource } from '../support/aws-calls';

const header = "import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\n";

test('a declared call is read with its action, resource and context', () => {
  const src = `${header}
async function f(doc: DynamoDBDocumentClient) {
  // iam: dynamodb:GetItem table dynamodb:LeadingKeys=CLIENT#<clientName>,REVOKED#<jti>
  return doc.send(new GetCommand({ TableName: 't', Key: {} }));
}`;
  const { calls, problems } = scanSource('x.ts', src);
  expect(problems).toEqual([]);
  expect(calls).toEqual([
    {
      site: 'x.ts:5',
      command: 'GetCommand',
      action: 'dynamodb:GetItem',
      resource: 'table',
      context: { 'dynamodb:LeadingKeys': ['CLIENT#<clientName>', 'REVOKED#<jti>'] },
    },
  ]);
});

test('an SDK command without a declaration next to it is a problem, even below a declared one', () => {
  const src = `${header}
async function f(doc: DynamoDBDocumentClient) {
  // iam: dynamodb:GetItem table dynamodb:LeadingKeys=CLIENT#<clientName>
  await doc.send(new GetCommand({ TableName: 't', Key: {} }));
  await doc.send(new PutCommand({ TableName: 't', Item: {} }));
}`;
  expect(scanSource('x.ts', src).problems).toEqual([
    { site: 'x.ts:6', problem: expect.stringMatching(/PutCommand has no "\/\/ iam:" declaration/) },
  ]);
});

test('a declaration of another action than the command is authorized as is a problem', () => {
  const src = `${header}
  // iam: dynamodb:GetItem table
  doc.send(new PutCommand({ TableName: 't', Item: {} }));`;
  expect(scanSource('x.ts', src).problems).toEqual([
    { site: 'x.ts:4', problem: 'PutCommand is authorized as dynamodb:PutItem, not dynamodb:GetItem' },
  ]);
});

test('paginators and aggregated clients are refused: they call AWS without a declared command', () => {
  const src = "import { paginateQuery } from '@aws-sdk/lib-dynamodb';\nimport { DynamoDB } from '@aws-sdk/client-dynamodb';\n";
  expect(scanSource('x.ts', src).problems.map((p) => p.problem)).toEqual([
    expect.stringMatching(/^paginateQuery from @aws-sdk\/lib-dynamodb/),
    expect.stringMatching(/^DynamoDB from @aws-sdk\/client-dynamodb/),
  ]);
});

test('commands map to the IAM actions AWS authorizes them as', () => {
  expect(commandActions('@aws-sdk/lib-dynamodb', 'BatchGetCommand')).toEqual(['dynamodb:BatchGetItem']);
  expect(commandActions('@aws-sdk/client-dynamodb', 'TransactWriteItemsCommand')).toContain('dynamodb:ConditionCheckItem');
  expect(commandActions('@aws-sdk/client-kms', 'DecryptCommand')).toEqual(['kms:Decrypt']);
  expect(commandActions('@aws-sdk/client-api-gateway', 'CreateUsagePlanKeyCommand')).toEqual(['apigateway:POST']);
  expect(commandActions('@aws-sdk/client-api-gateway', 'UpdateUsagePlanCommand')).toEqual(['apigateway:PATCH']);
});
