/**
 * Seeds the demo catalogue into a deployment's table, session by session, only where the
 * id is absent: an operator's edits and deletions of other ids are never overwritten. The
 * local gateway calls this for each stage at start (the README walk-through needs content).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { catalogEntry } from '../core/catalog';
import { demoCatalogue } from '../core/demo-catalogue';
import { WorkoutSessionStore } from './workout-session-store';

export async function seedDemoCatalogue(doc: DynamoDBDocumentClient, tableName: string): Promise<{ seeded: string[] }> {
  const store = new WorkoutSessionStore(doc, tableName);
  const seeded: string[] = [];
  for (const session of demoCatalogue()) {
    if (await store.putIfAbsent(session)) {
      seeded.push(session.id);
    } else {
      // Data from before the catalogue index existed: give the stored session its entry.
      const stored = await store.get(session.id);
      if (stored) await store.catalog.putIfAbsent(catalogEntry(stored.session));
    }
  }
  return { seeded };
}
