import type { MessageCode } from './io/message-codes.js';

/**
 * One error hierarchy for every tool. The CLI's top-level handler maps these to a one-line message,
 * a hint and an exit code (see docs/exit-codes.md); anything else is an internal error.
 */
export const EXIT = {
  OK: 0,
  /** The operation failed: remote error, failed deployment, not found. */
  FAILED: 1,
  /** Invalid usage or input: flags, arguments, definition. */
  USAGE: 2,
  /** Authentication or authorization failed. */
  AUTH: 3,
  /** Needs a human: a rollout paused (inconclusive verdict, or weights changed by hand during it). */
  PAUSED: 4,
  /** `diff --exit-code` found differences (like `git diff --exit-code`, but 1 stays "error"). */
  DIFF: 5,
  /** Ctrl-C. */
  INTERRUPTED: 130,
  /** SIGTERM (`timeout`, a cancelled CI job): 128 + 15, after the same clean-up as Ctrl-C. */
  TERMINATED: 143,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Errors carry the names of their classes under a registry-wide symbol, so that `instanceof` also
 * holds for an error made by another copy of this package (two versions in one node_modules).
 */
const BRANDS = Symbol.for('@stups/core/error-classes');

export interface StupsErrorOptions {
  hint?: string;
  cause?: unknown;
  data?: Record<string, unknown>;
}

export class StupsError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    // `this` is the class on the right of `instanceof` (a subclass too), not StupsError.
    // biome-ignore lint/complexity/noThisInStatic: see above
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const brands = (value as { [BRANDS]?: unknown } | null | undefined)?.[BRANDS];
    // biome-ignore lint/complexity/noThisInStatic: see above
    return Array.isArray(brands) && brands.includes(this.name);
  }

  readonly code: MessageCode;
  readonly exitCode: ExitCode;
  readonly hint?: string;
  readonly data?: Record<string, unknown>;

  constructor(code: MessageCode, exitCode: ExitCode, message: string, options: StupsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.data = options.data;
    const brands: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c))
      brands.push((c as { name: string }).name);
    Object.defineProperty(this, BRANDS, { value: brands, enumerable: false });
  }
}

/** Invalid flags, arguments or parameters: exit 2. */
export class UsageError extends StupsError {
  constructor(message: string, options: StupsErrorOptions & { code?: MessageCode } = {}) {
    super(options.code ?? 'error.usage', EXIT.USAGE, message, options);
  }
}

/** Where in a definition file a problem is. Lines and columns are 1-based. */
export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
  /** JSON-pointer-like path of keys, e.g. SenzaComponents/1/AppServer/InstanceType */
  path?: (string | number)[];
}

export function formatLocation(loc: SourceLocation): string {
  let s = loc.file ?? '<definition>';
  if (loc.line !== undefined) s += `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}`;
  if (loc.path && loc.path.length > 0) s += ` (${loc.path.join('.')})`;
  return s;
}

/** A broken Senza definition: exit 2, names the file, line, key and the fix. */
export class DefinitionError extends StupsError {
  readonly location: SourceLocation;
  /** The message without the location prefix. */
  readonly reason: string;
  constructor(reason: string, location: SourceLocation = {}, options: StupsErrorOptions & { code?: MessageCode } = {}) {
    super(options.code ?? 'error.definition', EXIT.USAGE, `${formatLocation(location)}: ${reason}`, options);
    this.location = location;
    this.reason = reason;
  }
}

/** Something the operation needs does not exist (stack, security group, AMI, hosted zone, ...): exit 1. */
export class NotFoundError extends StupsError {
  constructor(message: string, options: StupsErrorOptions & { code?: MessageCode } = {}) {
    super(options.code ?? 'error.not-found', EXIT.FAILED, message, options);
  }
}

/** The remote operation failed. Names the service, operation and resource. */
export class AwsError extends StupsError {
  readonly service: string;
  readonly operation: string;
  readonly awsCode?: string;
  constructor(
    service: string,
    operation: string,
    message: string,
    options: StupsErrorOptions & { code?: MessageCode; awsCode?: string; resource?: string; exitCode?: ExitCode } = {},
  ) {
    const where = options.resource ? `${service} ${operation} (${options.resource})` : `${service} ${operation}`;
    super(options.code ?? 'error.aws', options.exitCode ?? EXIT.FAILED, `${where}: ${message}`, options);
    this.service = service;
    this.operation = operation;
    this.awsCode = options.awsCode;
  }
}

/** Missing, expired or insufficient credentials: exit 3. */
export class AuthError extends StupsError {
  constructor(message: string, options: StupsErrorOptions & { code?: MessageCode } = {}) {
    super(options.code ?? 'error.auth', EXIT.AUTH, message, options);
  }
}

/** A failed operation that is not the user's fault nor a missing thing (e.g. a failed deployment): exit 1. */
export class OperationError extends StupsError {
  constructor(message: string, options: StupsErrorOptions & { code?: MessageCode } = {}) {
    super(options.code ?? 'error.failed', EXIT.FAILED, message, options);
  }
}

/** The user stopped the operation (Ctrl-C, declined prompt): soft but non-zero. */
export class AbortedError extends StupsError {
  constructor(message = 'Aborted.', options: StupsErrorOptions & { exitCode?: ExitCode; code?: MessageCode } = {}) {
    super(options.code ?? 'error.aborted', options.exitCode ?? EXIT.INTERRUPTED, message, options);
  }
}

/**
 * Ctrl-C stopped the command: exit 130. The hint says how to resume (e.g. the `senza wait` command
 * that follows a detached deployment); the CLI's one handler prints it, the command does not.
 */
export class InterruptedError extends AbortedError {
  constructor(message = 'Interrupted.', options: StupsErrorOptions & { code?: MessageCode } = {}) {
    super(message, { ...options, code: options.code ?? 'error.interrupted', exitCode: EXIT.INTERRUPTED });
  }
}

/** AbortedError once the signal fired (Ctrl-C), checked before each step of a loop. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortedError('Interrupted.');
}

export function isStupsError(e: unknown): e is StupsError {
  return e instanceof StupsError;
}
