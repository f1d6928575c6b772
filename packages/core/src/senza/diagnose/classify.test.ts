import { describe, expect, it } from 'vitest';
import type { StackEvent } from '../stacks/watch/stack-events-watch.js';
import { classify } from './classify.js';
import { type DiagnosisEvidence, emptyEvidence, type HealthObservation } from './evidence.js';
import { TAUPAGE_LINE } from './taupage-console.js';
import { formatVerdict, verdictJson } from './verdict-text.js';

const T0 = Date.parse('2026-12-07T03:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000);
const IMAGE = 'pierone.example.org/team/hello:1.0';

function evidence(patch: Partial<DiagnosisEvidence>): DiagnosisEvidence {
  return { ...emptyEvidence('hello', '1'), stackStatus: 'CREATE_IN_PROGRESS', ...patch };
}

function failed(logicalId: string, resourceType: string, reason: string, s = 10): StackEvent {
  return {
    eventId: `${logicalId}-${s}`,
    stackName: 'hello-1',
    logicalId,
    resourceType,
    status: 'CREATE_FAILED',
    reason,
    timestamp: at(s),
  };
}

const SIGNAL_TIMEOUT = failed(
  'AppServer',
  'AWS::AutoScaling::AutoScalingGroup',
  'Failed to receive 1 resource signal(s) within the specified duration',
  900,
);

const unhealthy = (
  s: number,
  description = 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.',
): HealthObservation => ({
  instanceId: 'i-0123456789abcdef0',
  source: 'hello-1',
  state: 'OutOfService',
  reasonCode: 'Instance',
  description,
  at: at(s),
});

const APP_LINES = Array.from({ length: 25 }, (_, i) => `app line ${i + 1}`);

/** Canned AWS answers (and Taupage console lines) per failure class: the class each one must produce. */
const CASES: [string, DiagnosisEvidence][] = [
  [
    'senza.diagnose-image-missing',
    evidence({
      image: { image: IMAGE, exists: false },
      consoles: [
        {
          instanceId: 'i-0123456789abcdef0',
          lines: [
            TAUPAGE_LINE.pulling(IMAGE),
            TAUPAGE_LINE.pullFailed(IMAGE, `manifest for ${IMAGE} not found: manifest unknown: manifest unknown`),
          ],
        },
      ],
    }),
  ],
  [
    'senza.diagnose-pull-denied',
    evidence({
      image: { image: IMAGE, exists: true },
      consoles: [
        {
          instanceId: 'i-0123456789abcdef0',
          lines: [
            TAUPAGE_LINE.pulling(IMAGE),
            TAUPAGE_LINE.pullFailed(
              IMAGE,
              'Error response from daemon: Head "https://pierone.example.org/v2/team/hello/manifests/1.0": unauthorized: authentication required',
            ),
          ],
        },
      ],
    }),
  ],
  [
    'senza.diagnose-app-exited',
    evidence({
      consoles: [
        {
          instanceId: 'i-0123456789abcdef0',
          lines: [
            TAUPAGE_LINE.pulling(IMAGE),
            TAUPAGE_LINE.pulled(IMAGE),
            TAUPAGE_LINE.starting(IMAGE),
            ...APP_LINES,
            TAUPAGE_LINE.exited(0, undefined),
          ],
        },
      ],
    }),
  ],
  [
    'senza.diagnose-crash-loop',
    evidence({
      consoles: [
        {
          instanceId: 'i-0123456789abcdef0',
          lines: [
            TAUPAGE_LINE.starting(IMAGE),
            'Error: Cannot find module /app/server.js',
            TAUPAGE_LINE.exited(1, { count: 1, max: 10 }),
            'Error: Cannot find module /app/server.js',
            TAUPAGE_LINE.exited(1, { count: 2, max: 10 }),
            'Error: Cannot find module /app/server.js',
            TAUPAGE_LINE.exited(1, { count: 3, max: 10 }),
          ],
        },
      ],
    }),
  ],
  ['senza.diagnose-health-failing', evidence({ health: [unhealthy(60), unhealthy(70), unhealthy(80)] })],
  ['senza.diagnose-no-signal', evidence({ stackStatus: 'ROLLBACK_IN_PROGRESS', events: [SIGNAL_TIMEOUT] })],
  [
    'senza.diagnose-capacity',
    evidence({
      scalingActivities: [
        {
          activityId: 'a1b2c3',
          statusCode: 'Failed',
          statusMessage:
            'We currently do not have sufficient m5.large capacity in the Availability Zone you requested (eu-central-1a). Our system will be working on provisioning additional capacity. (Service: AmazonEC2; Status Code: 500; Error Code: InsufficientInstanceCapacity)',
          description:
            'Launching a new EC2 instance.  Status Reason: We currently do not have sufficient m5.large capacity',
          startTime: at(30),
        },
      ],
    }),
  ],
  [
    'senza.diagnose-access-denied',
    evidence({
      stackStatus: 'ROLLBACK_COMPLETE',
      events: [
        failed(
          'AppServerInstanceProfile',
          'AWS::IAM::InstanceProfile',
          'Resource handler returned message: "User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/app-hello (Service: Iam, Status Code: 403, Request ID: 1)"',
        ),
      ],
    }),
  ],
  [
    'senza.diagnose-ami-missing',
    evidence({
      stackStatus: 'ROLLBACK_COMPLETE',
      events: [
        failed(
          'AppServerConfig',
          'AWS::AutoScaling::LaunchConfiguration',
          "The image id '[ami-0000000000000dead]' does not exist (Service: AmazonAutoScaling; Status Code: 400; Error Code: ValidationError)",
        ),
      ],
    }),
  ],
  [
    'senza.diagnose-certificate-missing',
    evidence({
      stackStatus: 'ROLLBACK_COMPLETE',
      events: [
        failed(
          'AppLoadBalancer',
          'AWS::ElasticLoadBalancing::LoadBalancer',
          'Server Certificate not found for the key: arn:aws:iam::123456789012:server-certificate/hello-example-org (Service: AmazonElasticLoadBalancing; Status Code: 400; Error Code: CertificateNotFound)',
        ),
      ],
    }),
  ],
  [
    'senza.diagnose-name-conflict',
    evidence({
      stackStatus: 'ROLLBACK_COMPLETE',
      events: [
        failed(
          'AppLoadBalancer',
          'AWS::ElasticLoadBalancingV2::LoadBalancer',
          'hello-1 already exists in stack arn:aws:cloudformation:eu-central-1:123456789012:stack/hello-1-old/abc',
        ),
      ],
    }),
  ],
  [
    'senza.diagnose-decrypt-failed',
    evidence({
      consoles: [
        {
          instanceId: 'i-0123456789abcdef0',
          lines: [
            TAUPAGE_LINE.decryptFailed(
              'DB_PASSWORD',
              'InvalidCiphertextException: The ciphertext refers to a customer master key that does not exist',
            ),
          ],
        },
      ],
    }),
  ],
];

describe('classify', () => {
  it.each(CASES)('%s: the top verdict, its text and JSON', (code, e) => {
    const verdicts = classify(e);
    expect(verdicts[0]?.code).toBe(code);
    expect(formatVerdict(verdicts[0]).join('\n')).toMatchSnapshot('text');
    expect(verdictJson(verdicts[0])).toMatchSnapshot('json');
  });

  it('every code of the catalogue has a case', () => {
    expect(new Set(CASES.map(([c]) => c)).size).toBe(12);
  });

  it('concludes nothing from a version that is coming up', () => {
    expect(classify(evidence({}))).toEqual([]);
    // A container that is starting, one exit that is being restarted, health still registering.
    const starting = evidence({
      consoles: [
        {
          instanceId: 'i-1',
          lines: [TAUPAGE_LINE.starting(IMAGE), 'boom', TAUPAGE_LINE.exited(1, { count: 1, max: 10 })],
        },
      ],
      health: [
        {
          instanceId: 'i-1',
          source: 'hello-1',
          state: 'OutOfService',
          reasonCode: 'ELB',
          description: 'Instance registration is still in progress.',
          at: at(1),
        },
        {
          instanceId: 'i-1',
          source: 'hello-1',
          state: 'OutOfService',
          reasonCode: 'ELB',
          description: 'Instance registration is still in progress.',
          at: at(2),
        },
        {
          instanceId: 'i-1',
          source: 'hello-1',
          state: 'OutOfService',
          reasonCode: 'ELB',
          description: 'Instance registration is still in progress.',
          at: at(3),
        },
      ],
      image: { image: IMAGE, exists: null },
    });
    expect(classify(starting)).toEqual([]);
  });

  it('needs the same failing health answer N times in a row', () => {
    const changing = evidence({ health: [unhealthy(1, 'a'), unhealthy(2, 'b'), unhealthy(3, 'a')] });
    expect(classify(changing)).toEqual([]);
    const recovered = evidence({
      health: [unhealthy(1), unhealthy(2), unhealthy(3), { ...unhealthy(4), state: 'InService', reasonCode: 'N/A' }],
    });
    expect(classify(recovered)).toEqual([]);
    const v2 = evidence({
      health: [1, 2, 3].map((s) => ({
        instanceId: 'i-1',
        source: 'hello-1',
        state: 'unhealthy',
        reasonCode: 'Target.ResponseCodeMismatch',
        description: 'Health checks failed with these codes: [500]',
        at: at(s),
      })),
    });
    expect(classify(v2)[0]?.data).toMatchObject({ reasonCode: 'Target.ResponseCodeMismatch', count: 3 });
  });

  it('puts the root cause before the signal timeout it caused', () => {
    const e = evidence({
      stackStatus: 'ROLLBACK_IN_PROGRESS',
      events: [SIGNAL_TIMEOUT],
      image: { image: IMAGE, exists: false },
    });
    expect(classify(e).map((v) => v.code)).toEqual(['senza.diagnose-image-missing']);
  });

  it('reads nested stacks and a syslog prefix on console lines', () => {
    const nested = evidence({
      events: [
        {
          ...failed(
            'Lb',
            'AWS::ElasticLoadBalancingV2::Listener',
            "Certificate 'arn:aws:acm:eu-central-1:123456789012:certificate/nope' not found",
          ),
          stackName: 'hello-1-Nested-XYZ',
        },
      ],
    });
    expect(classify(nested)[0]).toMatchObject({
      code: 'senza.diagnose-certificate-missing',
      data: { certificate: 'arn:aws:acm:eu-central-1:123456789012:certificate/nope' },
    });
    const prefixed = evidence({
      consoles: [{ instanceId: 'i-1', lines: [`[   12.3] cloud-init[1]: ${TAUPAGE_LINE.exited(0, undefined)}`] }],
    });
    expect(classify(prefixed)[0]?.code).toBe('senza.diagnose-app-exited');
  });

  it('past exits of an instance the load balancer calls healthy now are no cause', () => {
    const crashed = CASES.find(([c]) => c === 'senza.diagnose-crash-loop')?.[1] as DiagnosisEvidence;
    expect(classify(crashed)[0]?.code).toBe('senza.diagnose-crash-loop');
    const recovered: DiagnosisEvidence = {
      ...crashed,
      health: [{ ...unhealthy(1), state: 'InService', reasonCode: 'N/A', description: 'N/A' }],
    };
    expect(classify(recovered)).toEqual([]);
  });

  it('a failing health check of an instance whose application exits is no verdict of its own: the exits decide', () => {
    const notRunning = 'Instance is not running: its container is stopped, restarting or not started yet.';
    const health = [unhealthy(60, notRunning), unhealthy(61, notRunning), unhealthy(62, notRunning)];
    const once = evidence({
      health,
      consoles: [
        {
          instanceId: 'i-0123456789abcdef0',
          lines: [TAUPAGE_LINE.starting(IMAGE), 'Error: boom', TAUPAGE_LINE.exited(1, { count: 1, max: 10 })],
        },
      ],
    });
    // One restarted exit: not yet a crash loop, and the health check only repeats it. No verdict yet.
    expect(classify(once)).toEqual([]);
    const crashed = CASES.find(([c]) => c === 'senza.diagnose-crash-loop')?.[1] as DiagnosisEvidence;
    expect(classify({ ...crashed, health }).map((v) => v.code)).toEqual(['senza.diagnose-crash-loop']);
  });

  it('shows the last 20 application lines', () => {
    const v = classify(CASES[2][1])[0];
    expect(v.data.applicationLines).toEqual(APP_LINES.slice(-20));
  });
});
