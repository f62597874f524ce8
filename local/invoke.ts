/**
 * Calls a handler the way Lambda would: with a fresh context and the function's timeout.
 * The handler keeps running after a timeout (Node cannot stop it), but its answer is dropped,
 * as Lambda drops the answer of a timed-out invocation.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { FUNCTIONS, type FunctionName } from '../lambdas/gateway/routes';
import type { StageName } from '../lambdas/gateway/settings';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './events';

export class LambdaTimeoutError extends Error {
  constructor(fn: string, seconds: number) {
    super(`${fn} timed out after ${seconds} s`);
    this.name = 'LambdaTimeoutError';
  }
}

export interface InvokeTarget {
  readonly fn: FunctionName;
  readonly tenant: string;
  readonly stage: StageName;
}

export async function invokeLambda<E, R>(target: InvokeTarget, handler: (event: E, context?: Context) => Promise<R>, event: E): Promise<R> {
  const spec = FUNCTIONS[target.fn];
  const functionName = `workoutkit-${target.tenant}-${target.stage}-${target.fn}`;
  const context = fakeLambdaContext({
    functionName,
    memorySize: spec.memorySize,
    timeoutSeconds: spec.timeoutSeconds,
    requestId: randomUUID(),
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new LambdaTimeoutError(functionName, spec.timeoutSeconds)), spec.timeoutSeconds * 1000);
    timer.unref();
  });
  try {
    // Promise.resolve().then: a handler that throws synchronously is an invocation error too.
    return await Promise.race([Promise.resolve().then(() => handler(event, context)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface LambdaContextInput {
  readonly functionName: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly requestId: string;
}

/** Enough of a Lambda context for handlers (Powertools reads these fields). */
export function fakeLambdaContext(input: LambdaContextInput): Context {
  const deadline = Date.now() + input.timeoutSeconds * 1000;
  const unsupported = (): never => {
    throw new Error('callback-style context methods are not supported locally');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: input.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${input.functionName}`,
    memoryLimitInMB: String(input.memorySize),
    awsRequestId: input.requestId,
    logGroupName: `/aws/lambda/${input.functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
