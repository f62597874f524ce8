/**
 * Functions that serve no route: lib/ deploys each with an EventBridge schedule; the local
 * gateway does not load them (it has no CloudWatch to publish to). Kept apart from FUNCTIONS
 * because every FUNCTIONS entry is an API Gateway integration or the authorizer.
 */
import type { FunctionSpec } from './routes';

export type ScheduledFunctionName = 'quotaMonitor';

export interface ScheduledFunctionSpec extends FunctionSpec {
  /** How often EventBridge invokes it. */
  readonly everyMinutes: number;
}

export const SCHEDULED_FUNCTIONS: Readonly<Record<ScheduledFunctionName, ScheduledFunctionSpec>> = {
  quotaMonitor: {
    entry: 'lambdas/quota-monitor/handler.ts',
    memorySize: 256,
    timeoutSeconds: 120,
    description: "Publishes per-client and deployment quota use from the gateway's counters as CloudWatch metrics",
    everyMinutes: 15,
  },
};
