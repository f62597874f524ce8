/**
 * Structured JSON logs (Powertools). Nothing here ever logs a token, a secret or an
 * Authorization header: callers pass codes and names only.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'workoutkit-gateway',
  logLevel:
    (process.env.LOG_LEVEL as 'INFO' | 'WARN' | 'ERROR' | 'DEBUG' | 'SILENT' | undefined) ??
    (process.env.JEST_WORKER_ID ? 'SILENT' : 'INFO'),
});
