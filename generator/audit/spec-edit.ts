// What --apply does to the spec for one finding, as edits at JSON paths of
// the bundled spec (apply.ts maps each path to the file and place it is
// written in). A finding without edits is one a person makes.
import type { Json } from '../load.js';

export type Path = (string | number)[];

export type SpecEdit =
  /** Set a key's value (created when missing; a scalar keeps its quoting, a list its flow style). */
  | { op: 'set'; at: Path; value: Json }
  | { op: 'delete'; at: Path }
  /** Add a key to the mapping at `at`, right after the key `after` (first when absent or not found). */
  | { op: 'insert'; at: Path; key: string; value: Json; after?: string }
  /** A name into (or out of) a list of names such as `required`; the list is made when missing and dropped when emptied. */
  | { op: 'list-add'; at: Path; value: string }
  | { op: 'list-remove'; at: Path; value: string }
  /** An entry at the end of the list at `at` (made when missing), written like the entry before it. */
  | { op: 'append'; at: Path; value: Json }
  | { op: 'remove-item'; at: Path };
