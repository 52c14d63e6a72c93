// What the runtime needs to know about one kind of notification (one entry of
// the spec's `webhooks`), and the type of the notification it yields.
// Generated from the spec, like OperationMeta.
import type { Flat } from '../flat.js';
import type { Rule } from '../validate.js';

export interface NotificationMeta {
  /** The webhook's name in the spec, e.g. `userCardEvent`. */
  readonly name: string;
  /** The `event_type` values this notification carries. */
  readonly eventTypes: readonly string[];
  /** Rules for the envelope as it arrives (id, create_time, event_type, resource, …). */
  readonly envelope: Rule;
  /** Rules for the resource once decrypted. */
  readonly resource: Rule;
  /** Loads what `envelope` and `resource` need (a generated client's rules, defineNotification); the parser calls it before its first notification. */
  readonly load?: () => Promise<void>;
}

/**
 * A verified notification: the envelope with its `resource` decrypted, one
 * member per event type so that `event_type` discriminates.
 */
export type NotificationOf<Envelope extends { event_type: string }, Resource> = {
  [E in Envelope['event_type']]: Flat<Without<Envelope, 'event_type' | 'resource'> & { event_type: E; resource: Resource }>;
}[Envelope['event_type']];

// Omit, but keeping the named fields of an open object (Omit on a type with an index signature keeps only the signature).
type Without<T, K extends PropertyKey> = { [P in keyof T as P extends K ? never : P]: T[P] };
