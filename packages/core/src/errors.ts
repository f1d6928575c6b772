/**
 * One error hierarchy for every tool. The CLI's top-level handler maps these to a one-line message,
 * a hint and an exit code (see docs/exit-codes.md); anything else is an internal error.
 */
export const ExitCode = {
  Ok: 0,
  Failed: 1,
  Usage: 2,
  Auth: 3,
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface StupsErrorOptions {
  hint?: string;
  cause?: unknown;
  data?: Record<string, unknown>;
}

export class StupsError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint?: string;
  readonly data?: Record<string, unknown>;

  constructor(code: string, exitCode: ExitCode, message: string, options: StupsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.data = options.data;
  }
}

/** Invalid flags, arguments or parameters: exit 2. */
export class UsageError extends StupsError {
  constructor(message: string, options: StupsErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'usage', ExitCode.Usage, message, options);
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
  constructor(reason: string, location: SourceLocation = {}, options: StupsErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'definition-invalid', ExitCode.Usage, `${formatLocation(location)}: ${reason}`, options);
    this.location = location;
    this.reason = reason;
  }
}

/** Something the operation needs does not exist (stack, security group, AMI, hosted zone, ...): exit 1. */
export class NotFoundError extends StupsError {
  constructor(message: string, options: StupsErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'not-found', ExitCode.Failed, message, options);
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
    options: StupsErrorOptions & { code?: string; awsCode?: string; resource?: string; exitCode?: ExitCode } = {},
  ) {
    const where = options.resource ? `${service} ${operation} (${options.resource})` : `${service} ${operation}`;
    super(options.code ?? 'aws-error', options.exitCode ?? ExitCode.Failed, `${where}: ${message}`, options);
    this.service = service;
    this.operation = operation;
    this.awsCode = options.awsCode;
  }
}

/** Missing, expired or insufficient credentials: exit 3. */
export class AuthError extends StupsError {
  constructor(message: string, options: StupsErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'auth', ExitCode.Auth, message, options);
  }
}

/** A failed operation that is not the user's fault nor a missing thing (e.g. a failed deployment): exit 1. */
export class OperationError extends StupsError {
  constructor(message: string, options: StupsErrorOptions & { code?: string } = {}) {
    super(options.code ?? 'failed', ExitCode.Failed, message, options);
  }
}

/** The user stopped the operation (Ctrl-C, declined prompt): soft but non-zero. */
export class AbortedError extends StupsError {
  constructor(message = 'Aborted.', options: StupsErrorOptions & { exitCode?: ExitCode } = {}) {
    super('aborted', options.exitCode ?? ExitCode.Interrupted, message, options);
  }
}

export function isStupsError(e: unknown): e is StupsError {
  return e instanceof StupsError;
}
