/**
 * The fault switch: failures that AWS produces and moto cannot, switched on by tests. Over HTTP:
 * `POST /__stups/faults` with a JSON body
 * `{"throttle": {...} | [...], "failStackCreation": {...} | [...], "expiredCredentials": {"count": n}}`,
 * `GET` for the armed faults, `DELETE` to clear them all.
 */
export interface ThrottleFault {
  /** Operation name as in the API reference: `DescribeStacks`, `ChangeResourceRecordSets`, ... */
  operation: string;
  /** Signing name (`cloudformation`, `ec2`, `route53`, ...); any service when left out. */
  service?: string;
  /** How many calls in a row get the throttling error (default 1). */
  count?: number;
}

export interface StackCreationFault {
  stackName: string;
  /** The logical id of the resource that fails. */
  logicalId: string;
  /** Its `ResourceStatusReason`. */
  reason?: string;
}

/** Answers the next `count` calls (of any service) as AWS does once temporary credentials expired. */
export interface ExpiredCredentialsFault {
  count?: number;
}

export class FaultSwitch {
  private readonly throttleList: { operation: string; service?: string; count: number }[] = [];
  private expiredCalls = 0;
  private stackFailures: StackCreationFault[] = [];

  /** Throttles the next `count` calls of an operation. */
  throttle(fault: ThrottleFault): void {
    const count = fault.count ?? 1;
    if (!fault.operation || !Number.isInteger(count) || count < 1) {
      throw new TypeError('a throttle fault needs an operation and a positive count');
    }
    this.throttleList.push({ operation: fault.operation, service: fault.service, count });
  }

  /** Makes the next creation of the stack fail at the named resource. */
  failStackCreation(fault: StackCreationFault): void {
    if (!fault.stackName || !fault.logicalId) throw new TypeError('a stack fault needs stackName and logicalId');
    this.stackFailures.push({ ...fault });
  }

  /** The next `count` calls fail with `ExpiredToken`. */
  expireCredentials(fault: ExpiredCredentialsFault = {}): void {
    const count = fault.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new TypeError('expiredCredentials needs a positive count');
    this.expiredCalls += count;
  }

  /** True (and one use consumed) when this call is to fail with expired credentials. */
  takeExpiredCredentials(): boolean {
    if (this.expiredCalls <= 0) return false;
    this.expiredCalls -= 1;
    return true;
  }

  clear(): void {
    this.expiredCalls = 0;
    this.throttleList.length = 0;
    this.stackFailures.length = 0;
  }

  list(): { throttle: ThrottleFault[]; failStackCreation: StackCreationFault[]; expiredCredentials: number } {
    return {
      expiredCredentials: this.expiredCalls,
      throttle: this.throttleList.map((t) => ({ ...t })),
      failStackCreation: this.stackFailures.map((f) => ({ ...f })),
    };
  }

  /** True (and one use consumed) when this call is to be throttled. */
  takeThrottle(service: string, operation: string): boolean {
    const i = this.throttleList.findIndex(
      (t) => t.operation === operation && (t.service === undefined || t.service === service),
    );
    if (i < 0) return false;
    const t = this.throttleList[i];
    t.count -= 1;
    if (t.count <= 0) this.throttleList.splice(i, 1);
    return true;
  }

  /** The armed failure for a stack about to be created, consumed. */
  takeStackFailure(stackName: string): StackCreationFault | undefined {
    const i = this.stackFailures.findIndex((f) => f.stackName === stackName);
    if (i < 0) return undefined;
    return this.stackFailures.splice(i, 1)[0];
  }

  handleHttp(method: string, body: Buffer): { status: number; body: unknown } {
    if (method === 'GET') return { status: 200, body: this.list() };
    if (method === 'DELETE') {
      this.clear();
      return { status: 200, body: this.list() };
    }
    if (method !== 'POST') return { status: 405, body: { message: 'use GET, POST or DELETE' } };
    let spec: {
      throttle?: ThrottleFault | ThrottleFault[];
      failStackCreation?: StackCreationFault | StackCreationFault[];
      expiredCredentials?: ExpiredCredentialsFault;
    };
    try {
      spec = JSON.parse(body.toString('utf8') || '{}');
    } catch (e) {
      return { status: 400, body: { message: `not JSON: ${(e as Error).message}` } };
    }
    try {
      for (const t of [spec.throttle ?? []].flat()) this.throttle(t);
      for (const f of [spec.failStackCreation ?? []].flat()) this.failStackCreation(f);
      if (spec.expiredCredentials) this.expireCredentials(spec.expiredCredentials);
    } catch (e) {
      return { status: 400, body: { message: (e as Error).message } };
    }
    return { status: 200, body: this.list() };
  }
}
