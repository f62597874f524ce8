/**
 * Counts what a DynamoDB client sends, with a middleware on the real client (the one the
 * handlers use; every DynamoDBDocumentClient shares its base client's middleware stack): calls
 * by operation, reads and writes, the capacity DynamoDB reports for them (ReturnConsumedCapacity
 * is set on every data-plane call), and how many calls started with none other in flight (the
 * round trips a request waits for one after another).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface DynamoCalls {
  reads: number;
  writes: number;
  /** Calls that started while no other call was in flight: sequential round trips. */
  sequential: number;
  /** Capacity units DynamoDB reported (on-demand: read and write request units). */
  readUnits: number;
  writeUnits: number;
  byOperation: Record<string, number>;
}

export interface DynamoCallCounter {
  /** What was counted since the last reset. */
  snapshot(): DynamoCalls;
  reset(): void;
}

const empty = (): DynamoCalls => ({ reads: 0, writes: 0, sequential: 0, readUnits: 0, writeUnits: 0, byOperation: {} });

interface Capacity {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  CapacityUnits?: number;
}

function units(consumed: Capacity | Capacity[] | undefined, operation: string): { read: number; write: number } {
  const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  let read = 0;
  let write = 0;
  for (const c of list) {
    // DynamoDB Local reports only CapacityUnits for some operations: attribute it by operation kind.
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      read += c.ReadCapacityUnits ?? 0;
      write += c.WriteCapacityUnits ?? 0;
    } else if (WRITES.has(operation)) write += c.CapacityUnits ?? 0;
    else read += c.CapacityUnits ?? 0;
  }
  return { read, write };
}

const counted = new WeakMap<object, DynamoCallCounter>();

/** Idempotent per client: a second call returns the first counter. */
export function countDynamoCalls(doc: DynamoDBDocumentClient): DynamoCallCounter {
  const existing = counted.get(doc.middlewareStack);
  if (existing) return existing;
  let calls = empty();
  let inFlight = 0;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      const data = READS.has(operation) || WRITES.has(operation);
      if (data) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      calls.byOperation[operation] = (calls.byOperation[operation] ?? 0) + 1;
      if (READS.has(operation)) calls.reads++;
      if (WRITES.has(operation)) calls.writes++;
      if (inFlight === 0) calls.sequential++;
      inFlight++;
      const mine = calls;
      try {
        const out = await next(args);
        const u = units((out.output as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity, operation);
        mine.readUnits += u.read;
        mine.writeUnits += u.write;
        return out;
      } finally {
        inFlight--;
      }
    },
    { step: 'initialize', name: 'benchDynamoCallCounter' },
  );
  const counter: DynamoCallCounter = {
    snapshot: () => ({ ...calls, byOperation: { ...calls.byOperation } }),
    reset: () => {
      calls = empty();
    },
  };
  counted.set(doc.middlewareStack, counter);
  return counter;
}
