/**
 * The registry of message codes, filled by the catalogs themselves: every `*-messages.ts` module augments
 * `MessageCodes` with its keys (`declare module '…/message-codes.js' { interface MessageCodes extends
 * CodesOf<typeof X_MESSAGES> {} }`). A program knows the codes of the catalogs it compiles: the engine its
 * own, a CLI the engine's, the kit's and its own. So a code that no catalog registers does not compile,
 * and the engine cannot emit a CLI's code.
 * This module imports nothing, so that the error classes and the messages can name `MessageCode`
 * without an import cycle.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation from each catalog
export interface MessageCodes {}

/** A registered message code (`senza.stack-created`, `error.usage`, …). */
export type MessageCode = keyof MessageCodes & string;

/** What a catalog adds to `MessageCodes`: its codes, each with its definition. */
export type CodesOf<Catalog> = { readonly [Code in keyof Catalog]: Catalog[Code] };

/**
 * The `data` a message of `Code` may carry: the keys its catalog entry documents (each optional), no other;
 * none for an entry without `data`. For a union of codes, the data of any of them.
 */
export type MessageData<Code extends MessageCode> = Code extends MessageCode
  ? MessageCodes[Code] extends { data: infer Keys }
    ? { [Key in keyof Keys]?: unknown }
    : Record<string, never>
  : never;

/**
 * The level a message of `Code` is emitted at: its catalog entry's `level`, or one of its `levels` for a code
 * whose outcome decides it (`senza.stack-done`: info when the stack is done, error when it failed).
 */
export type MessageLevelOf<Code extends MessageCode> = Code extends MessageCode
  ? MessageCodes[Code] extends { levels: readonly (infer Level)[] }
    ? Level
    : MessageCodes[Code] extends { level: infer Level }
      ? Level
      : never
  : never;

/** The codes a span may carry: those emitted at level `info` (a span's lines say what runs, not a verdict). */
export type SpanCode = InfoCodes<MessageCode>;
type InfoCodes<Code> = Code extends MessageCode ? ('info' extends MessageLevelOf<Code> ? Code : never) : never;
