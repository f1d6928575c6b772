import { parseDockerImage } from '../template/docker-image.js';
import type { DiagnosisEvidence, HealthObservation } from './evidence.js';
import { parseTaupageConsole } from './taupage-console.js';

/** The stable codes of a verdict (docs/messages.md, area "Senza diagnosis"). */
export type DiagnosisCode =
  | 'senza.diagnose-image-missing'
  | 'senza.diagnose-pull-denied'
  | 'senza.diagnose-app-exited'
  | 'senza.diagnose-crash-loop'
  | 'senza.diagnose-health-failing'
  | 'senza.diagnose-no-signal'
  | 'senza.diagnose-capacity'
  | 'senza.diagnose-access-denied'
  | 'senza.diagnose-ami-missing'
  | 'senza.diagnose-certificate-missing'
  | 'senza.diagnose-name-conflict'
  | 'senza.diagnose-decrypt-failed';

/** A certain cause of a failing version: what it is, what shows it, how to fix it, what to run next. */
export interface Verdict {
  code: DiagnosisCode;
  /** One line. */
  summary: string;
  /** The evidence as lines (e.g. the application's last lines, the health answer). */
  evidence: string[];
  fix: string;
  /** The command to run next. */
  next: string;
  /** The evidence as data, for `-o json`. */
  data: Record<string, unknown>;
}

export interface ClassifyOptions {
  /** How many identical failing health answers in a row make a verdict (default 3). */
  healthRepeats?: number;
  /** How many exits of a restarting container make a crash loop (default 3). */
  crashExits?: number;
  /** How many of the application's last lines a verdict shows (default 20). */
  applicationLines?: number;
}

/** A reason text and where it was read. */
interface Reason {
  text: string;
  where: string;
}

const NAME_CONFLICT = /already exists/i;
const ACCESS_DENIED = /not authorized to perform|AccessDenied|UnauthorizedOperation|is not authorized|Access Denied/i;
const AMI_MISSING =
  /InvalidAMIID|image id '\[?ami-[0-9a-z]+\]?' does not exist|AMI '?ami-[0-9a-z]+'? (?:does not exist|not found)/i;
const CERTIFICATE_MISSING = /CertificateNotFound|Server Certificate not found|Certificate '[^']*' not found/i;
const CAPACITY =
  /InsufficientInstanceCapacity|InstanceLimitExceeded|VcpuLimitExceeded|You have requested more (?:instances|vCPU capacity)|insufficient capacity/i;
const NO_SIGNAL = /Failed to receive \d+ resource signal/i;
const PULL_DENIED = /unauthori[sz]ed|denied|forbidden|\b401\b|\b403\b|authentication required/i;
const IMAGE_MISSING = /manifest unknown|not found|\b404\b|does not exist/i;
/** ELB answers that mean "the instance fails the check" (not "registration still in progress"). */
const FAILING_STATES = new Set(['outofservice', 'out_of_service', 'unhealthy']);

/** The resource failures of the events and the failed scaling activities, oldest first. */
function reasons(e: DiagnosisEvidence): Reason[] {
  const out: Reason[] = [];
  for (const ev of e.events) {
    if (ev.status.endsWith('_FAILED') && ev.reason)
      out.push({ text: ev.reason, where: `${ev.stackName} ${ev.logicalId} ${ev.status}` });
  }
  for (const a of e.scalingActivities) {
    if (a.statusCode === 'Failed' || a.statusCode === 'Cancelled')
      out.push({ text: a.statusMessage ?? a.description ?? '', where: `scaling activity ${a.activityId}` });
  }
  return out.filter((r) => r.text !== '');
}

const reasonLine = (r: Reason) => `${r.where}: ${r.text}`;

/** `ami-0123...` named in a reason, if any. */
const amiIn = (text: string) => /ami-[0-9a-z]+/i.exec(text)?.[0];
/** An ARN or certificate name named in a reason, if any. */
const certificateIn = (text: string) => /arn:aws[\w-]*:(?:acm|iam):[^\s'"),]+/.exec(text)?.[0];
/** `User: arn:… is not authorized to perform: iam:PassRole on resource: …` → principal and action. */
function deniedCall(text: string): { principal?: string; action?: string } {
  return {
    principal: /User: (\S+) is not authorized/.exec(text)?.[1],
    action: /to perform: ([\w-]+:[\w*-]+)/.exec(text)?.[1],
  };
}

function isFailing(h: HealthObservation): boolean {
  if (!FAILING_STATES.has(h.state.toLowerCase())) return false;
  // Classic ELB: reason code ELB means the load balancer's own state (registration in progress).
  return h.reasonCode !== 'ELB';
}

const sameAnswer = (a: HealthObservation, b: HealthObservation) =>
  a.state === b.state && a.reasonCode === b.reasonCode && a.description === b.description;

const healthLine = (h: HealthObservation) =>
  `${h.instanceId} on ${h.source}: ${h.state}${h.reasonCode ? ` (${h.reasonCode})` : ''}${h.description ? `: ${h.description}` : ''}`;
/** The health check asked, when known: it names the port and path the application must answer on. */
const checkLine = (h: HealthObservation) => (h.check ? [`health check of ${h.source}: ${h.check}`] : []);

/**
 * The certain causes among the evidence, most fundamental first (the first is the verdict): a resource
 * CloudFormation could not make, then an image that cannot run, then an application that does not stay up
 * or answer, then a signal that never came. Nothing is concluded from a single ambiguous answer.
 */
export function classify(e: DiagnosisEvidence, options: ClassifyOptions = {}): Verdict[] {
  const healthRepeats = options.healthRepeats ?? 3;
  const crashExits = options.crashExits ?? 3;
  const appLines = options.applicationLines ?? 20;
  const ref = `${e.name} ${e.version}`;
  const verdicts: Verdict[] = [];
  const all = reasons(e);
  const first = (re: RegExp) => all.find((r) => re.test(r.text));

  const conflict = first(NAME_CONFLICT);
  if (conflict)
    verdicts.push({
      code: 'senza.diagnose-name-conflict',
      summary: `A resource of ${e.name}-${e.version} already exists under that name`,
      evidence: [reasonLine(conflict)],
      fix: 'Delete the resource or stack in the way, or deploy another version.',
      next: `senza list ${e.name}`,
      data: { reason: conflict.text, where: conflict.where },
    });

  const denied = first(ACCESS_DENIED);
  if (denied)
    verdicts.push({
      code: 'senza.diagnose-access-denied',
      summary: 'An AWS call of the deployment was denied',
      evidence: [reasonLine(denied)],
      fix: 'Grant the denied action to the principal (identity policy, permission boundary or SCP), or deploy with a role that has it.',
      next: `senza events ${ref}`,
      data: { reason: denied.text, where: denied.where, ...deniedCall(denied.text) },
    });

  const ami = first(AMI_MISSING);
  if (ami)
    verdicts.push({
      code: 'senza.diagnose-ami-missing',
      summary: `The AMI ${amiIn(ami.text) ?? 'of the launch configuration'} does not exist in this region`,
      evidence: [reasonLine(ami)],
      fix: 'Use an AMI that exists in this region (the Taupage AMIs are listed by `senza images`).',
      next: 'senza images',
      data: { reason: ami.text, where: ami.where, ami: amiIn(ami.text) },
    });

  const certificate = first(CERTIFICATE_MISSING);
  if (certificate)
    verdicts.push({
      code: 'senza.diagnose-certificate-missing',
      summary: 'The load balancer names a certificate that does not exist',
      evidence: [reasonLine(certificate)],
      fix: 'Request or import the certificate in this region (ACM or IAM), or name one that exists in SSLCertificateId.',
      next: 'aws acm list-certificates',
      data: { reason: certificate.text, where: certificate.where, certificate: certificateIn(certificate.text) },
    });

  const capacity = first(CAPACITY);
  if (capacity)
    verdicts.push({
      code: 'senza.diagnose-capacity',
      summary: 'AWS could not launch the instances: no capacity or a limit reached',
      evidence: [reasonLine(capacity)],
      fix: 'Ask for a higher limit, or choose another instance type or availability zone.',
      next: `senza events ${ref}`,
      data: { reason: capacity.text, where: capacity.where },
    });

  const consoles = e.consoles.map((c) => ({ instanceId: c.instanceId, parsed: parseTaupageConsole(c.lines) }));
  const pullFailures = consoles.flatMap((c) => c.parsed.pullFailures.map((p) => ({ ...p, instanceId: c.instanceId })));
  const registryMissing = e.image && e.image.exists === false && !e.image.error;
  const pullMissing = pullFailures.find((p) => IMAGE_MISSING.test(p.reason) && !PULL_DENIED.test(p.reason));
  if (registryMissing || pullMissing) {
    const image = e.image?.image ?? pullMissing?.image ?? '';
    const evidence: string[] = [];
    if (registryMissing) evidence.push(`registry: ${image} does not exist`);
    if (pullMissing) evidence.push(`${pullMissing.instanceId}: pull failed: ${pullMissing.reason}`);
    const { repository, tag } = parseDockerImage(image);
    verdicts.push({
      code: 'senza.diagnose-image-missing',
      summary: `The Docker image ${image} does not exist`,
      evidence,
      fix: `Push the image (docker push ${image}) or deploy a tag that exists.`,
      next: repository.includes('/') ? `pierone tags ${repository.replace('/', ' ')}` : `docker pull ${image}`,
      data: { image, repository, tag, registry: e.image ?? null, pull: pullMissing ?? null },
    });
  } else {
    const pullDenied = pullFailures.find((p) => PULL_DENIED.test(p.reason));
    if (pullDenied)
      verdicts.push({
        code: 'senza.diagnose-pull-denied',
        summary: `The instances may not pull ${pullDenied.image}`,
        evidence: [`${pullDenied.instanceId}: pull failed: ${pullDenied.reason}`],
        fix: "Let the instances' identity pull the image: the team's read access in Pier One, and the instance's registry credentials.",
        next: `senza console ${ref}`,
        data: { image: pullDenied.image, instanceId: pullDenied.instanceId, reason: pullDenied.reason },
      });
  }

  const decrypt = consoles.find((c) => c.parsed.decryptFailures.length > 0);
  if (decrypt) {
    const f = decrypt.parsed.decryptFailures[0];
    verdicts.push({
      code: 'senza.diagnose-decrypt-failed',
      summary: `An encrypted value of the Taupage configuration (${f.key}) does not decrypt`,
      evidence: [`${decrypt.instanceId}: ${f.key}: ${f.reason}`],
      fix: "Encrypt the value with a KMS key of this region that the instances' role may use (kms:Decrypt).",
      next: `senza console ${ref}`,
      data: { instanceId: decrypt.instanceId, key: f.key, reason: f.reason },
    });
  }

  // An instance the load balancer calls healthy now has recovered: its past exits are no cause.
  const healthyNow = new Set(
    latestAnswers(e.health)
      .filter((h) => /^(inservice|healthy)$/i.test(h.state))
      .map((h) => h.instanceId),
  );
  const down = consoles.filter((c) => !healthyNow.has(c.instanceId));
  const stopped = down.find((c) => c.parsed.exits.length > 0 && !c.parsed.exits[c.parsed.exits.length - 1].restarted);
  const looping = down.find((c) => c.parsed.exits.length >= crashExits);
  const appVerdict = stopped ?? looping;
  if (appVerdict) {
    const { exits, applicationLines } = appVerdict.parsed;
    const last = exits[exits.length - 1];
    const lines = applicationLines.slice(-appLines);
    const crash = appVerdict !== stopped;
    verdicts.push({
      code: crash ? 'senza.diagnose-crash-loop' : 'senza.diagnose-app-exited',
      summary: crash
        ? `The application keeps exiting (${exits.length} times, last exit code ${last.exitCode})`
        : `The application exited with code ${last.exitCode} and was not restarted`,
      evidence: [
        `${appVerdict.instanceId}: exit codes ${exits.map((x) => x.exitCode).join(', ')}`,
        ...(lines.length > 0 ? [`last ${lines.length} application lines:`, ...lines.map((l) => `| ${l}`)] : []),
      ],
      fix: crash
        ? 'The application fails at start: read its last lines and fix its configuration or code, then deploy a new version.'
        : 'The application ended by itself: a server must keep running; fix its start command or configuration.',
      next: `senza console ${ref}`,
      data: { instanceId: appVerdict.instanceId, exitCodes: exits.map((x) => x.exitCode), applicationLines: lines },
    });
  }

  // A failing health check of an instance whose application has exited is that exit's consequence, not a
  // cause of its own: the application verdict above speaks for it (once its exits make it certain).
  const exited = new Set(down.filter((c) => c.parsed.exits.length > 0).map((c) => c.instanceId));
  const failing = healthFailure(
    e.health.filter((h) => !exited.has(h.instanceId)),
    healthRepeats,
  );
  if (failing)
    verdicts.push({
      code: 'senza.diagnose-health-failing',
      summary: `The load balancer's health check fails (${failing.count} times the same answer)`,
      evidence: [healthLine(failing.answer), ...checkLine(failing.answer)],
      fix: "Make the application answer the health check (path and port of the definition's HealthCheckPath/HealthCheckPort) with 200.",
      next: `senza instances ${ref}`,
      data: {
        instanceId: failing.answer.instanceId,
        source: failing.answer.source,
        state: failing.answer.state,
        reasonCode: failing.answer.reasonCode ?? null,
        description: failing.answer.description ?? null,
        check: failing.answer.check ?? null,
        count: failing.count,
      },
    });

  const signal = first(NO_SIGNAL);
  if (signal && verdicts.length === 0)
    verdicts.push({
      code: 'senza.diagnose-no-signal',
      summary: 'CloudFormation received no signal from the instances in time',
      evidence: [reasonLine(signal)],
      fix: 'No other cause was found: check that Taupage starts and can reach CloudFormation (cfn-signal), and that the health check the instance waits for passes.',
      next: `senza console ${ref}`,
      data: { reason: signal.text, where: signal.where },
    });
  return verdicts;
}

/** The newest answer per instance and load balancer. */
function latestAnswers(health: HealthObservation[]): HealthObservation[] {
  const latest = new Map<string, HealthObservation>();
  for (const h of health) latest.set(`${h.source}\u0000${h.instanceId}`, h);
  return [...latest.values()];
}

/** The newest run of identical failing answers per instance and load balancer, when it is long enough. */
function healthFailure(
  health: HealthObservation[],
  repeats: number,
): { answer: HealthObservation; count: number } | undefined {
  const series = new Map<string, HealthObservation[]>();
  for (const h of health) {
    const key = `${h.source}\u0000${h.instanceId}`;
    series.set(key, [...(series.get(key) ?? []), h]);
  }
  for (const list of series.values()) {
    const newest = list[list.length - 1];
    if (!isFailing(newest)) continue;
    let count = 0;
    for (let i = list.length - 1; i >= 0 && sameAnswer(list[i], newest); i--) count++;
    if (count >= repeats) return { answer: newest, count };
  }
  return undefined;
}
