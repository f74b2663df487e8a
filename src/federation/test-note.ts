// `palisade.test.note`: a plain text message for delivery tests, registered only when
// PALISADE_FEDERATION_TEST_MESSAGES is on (never in production). Each application CREATEs a node,
// so a message applied twice would show as two notes.
import { z } from 'zod';
import type { Database } from '../db/database.js';
import { PayloadRejectedError, type MessageHandler } from './message-handlers.js';

export const TEST_NOTE_TYPE = 'palisade.test.note';

const payload = z.object({ text: z.string().max(10_000) }).passthrough();

export const testNoteHandler: MessageHandler = {
  from: ['partner', 'association'],
  async handle(tx, message) {
    const parsed = payload.safeParse(message.payload);
    if (!parsed.success) throw new PayloadRejectedError('a test note needs a text');
    await tx.run('federation/test-note-store', {
      jti: message.jti,
      from: message.senderId,
      text: parsed.data.text,
      payload: JSON.stringify(message.payload),
      receivedAt: new Date().toISOString(),
    });
  },
};

export interface TestNote {
  jti: string;
  from: string;
  text: string;
  payload: string;
}

/** Every test note received, oldest first (tests count them to prove exactly-once). */
export async function readTestNotes(db: Database): Promise<TestNote[]> {
  const rows = await db.read('federation/test-notes');
  return rows.map((r) => ({
    jti: String(r['jti']),
    from: String(r['from']),
    text: String(r['text']),
    payload: String(r['payload']),
  }));
}
