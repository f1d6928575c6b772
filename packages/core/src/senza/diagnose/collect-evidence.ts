import {
  DescribeAutoScalingGroupsCommand,
  type DescribeAutoScalingGroupsCommandOutput,
  DescribeLaunchConfigurationsCommand,
  DescribeScalingActivitiesCommand,
  type DescribeScalingActivitiesCommandOutput,
} from '@aws-sdk/client-auto-scaling';
import {
  DescribeStackEventsCommand,
  type DescribeStackEventsCommandOutput,
  DescribeStackResourcesCommand,
  type DescribeStackResourcesCommandOutput,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { isStackMissing } from '../../aws/aws-errors.js';
import type { AwsSession } from '../../aws/aws-session.js';
import { awsPages } from '../../aws/pages.js';
import { NotFoundError } from '../../errors.js';
import { fetchConsoleOutput } from '../stacks/read/console-output.js';
import { classicHealthCheckTarget, fetchHealthAnswers } from '../stacks/read/instance-health.js';
import { dockerSourceOf } from '../stacks/read/stack-instances.js';
import { type StackEvent, toEvent } from '../stacks/watch/stack-events-watch.js';
import { dockerImageExists } from '../template/docker-image.js';
import type { DiagnosisEvidence, HealthObservation, ImageAnswer, ScalingActivity } from './evidence.js';

export interface CollectOptions {
  /** Events of the root stack up to and including this one belong to earlier operations. */
  afterEventId?: string;
  /** How the image is asked for (default: Pier One / the registry, {@link dockerImageExists}). */
  imageExists?: (image: string) => Promise<boolean | null>;
  /** Console lines read per instance (default 200). */
  consoleLines?: number;
  /** The clock of health observations (tests). */
  now?: () => Date;
}

/** How many pages of events a diagnosis reads per stack (100 events each, newest first). */
const EVENT_PAGES = 5;

/**
 * Reads the evidence of one stack version from AWS: the stack's and its nested stacks' events, the
 * scaling activities of its Auto Scaling groups, its instances' console output, the load balancer's
 * answers (with reasons) and the registry's answer for its image. Called repeatedly while a deployment
 * runs: the health answers accumulate, the registry is asked once per image. A source that cannot be
 * read (denied, throttled) is noted in `unavailable` and the others are still read.
 */
export class EvidenceCollector {
  private readonly health: HealthObservation[] = [];
  private readonly images = new Map<string, ImageAnswer>();
  /** A classic ELB's health check target, read once per load balancer (it names the port and path checked). */
  private readonly checks = new Map<string, string | undefined>();
  readonly unavailable = new Map<string, string>();

  constructor(
    private readonly session: AwsSession,
    readonly name: string,
    readonly version: string,
    private readonly options: CollectOptions = {},
  ) {}

  get stackName(): string {
    return `${this.name}-${this.version}`;
  }

  async collect(): Promise<DiagnosisEvidence> {
    const evidence: DiagnosisEvidence = {
      name: this.name,
      version: this.version,
      events: [],
      scalingActivities: [],
      consoles: [],
      health: this.health,
    };
    const stack = await this.source('stack', () => this.describeStack());
    if (!stack) return evidence;
    evidence.stackStatus = stack.status;
    const resources = (await this.source('resources', () => this.stackResources(stack.id))) ?? [];
    const nested = resources.filter((r) => r.type === 'AWS::CloudFormation::Stack').map((r) => r.id);
    const groups = resources.filter((r) => r.type === 'AWS::AutoScaling::AutoScalingGroup').map((r) => r.id);
    const [events, activities, consoles, answers, image] = await Promise.all([
      this.source('events', () => this.events(stack.id, nested)),
      this.source('scaling-activities', () => this.scalingActivities(groups)),
      this.source('console', () => this.consoles()),
      this.source('health', () => fetchHealthAnswers(this.session, this.stackName)),
      this.source('registry', () => this.image(groups)),
    ]);
    evidence.events = events ?? [];
    evidence.scalingActivities = activities ?? [];
    evidence.consoles = consoles ?? [];
    const at = (this.options.now ?? (() => new Date()))();
    for (const a of answers ?? []) {
      const check = a.check ?? (await this.source('health-check', () => this.classicCheck(a.source)));
      this.health.push({ ...a, ...(check ? { check } : {}), at });
    }
    if (image) evidence.image = image;
    return evidence;
  }

  /** One evidence source: its failure is noted, not thrown (a diagnosis reads what it can). */
  private async source<T>(name: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await read();
      this.unavailable.delete(name);
      return value;
    } catch (e) {
      this.unavailable.set(name, (e as Error).message);
      return undefined;
    }
  }

  private async describeStack(): Promise<{ id: string; status: string } | undefined> {
    try {
      const out = await this.session.send(
        'cloudformation',
        new DescribeStacksCommand({ StackName: this.stackName }),
        this.stackName,
      );
      const s = out.Stacks?.[0];
      return s?.StackId ? { id: s.StackId, status: s.StackStatus ?? '' } : undefined;
    } catch (e) {
      if (isStackMissing(e)) return undefined;
      throw e;
    }
  }

  private async stackResources(stackId: string): Promise<{ type: string; id: string }[]> {
    const out = await this.session.send<DescribeStackResourcesCommandOutput>(
      'cloudformation',
      new DescribeStackResourcesCommand({ StackName: stackId }),
      stackId,
    );
    return (out.StackResources ?? []).flatMap((r) =>
      r.ResourceType && r.PhysicalResourceId ? [{ type: r.ResourceType, id: r.PhysicalResourceId }] : [],
    );
  }

  /** The root stack's events (after `afterEventId`) and every nested stack's, oldest first. */
  private async events(stackId: string, nested: string[]): Promise<StackEvent[]> {
    const lists = await Promise.all([
      this.stackEvents(stackId, this.options.afterEventId),
      ...nested.map((id) => this.stackEvents(id, undefined)),
    ]);
    return lists.flat().sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  }

  private async stackEvents(stackId: string, afterEventId: string | undefined): Promise<StackEvent[]> {
    const out: StackEvent[] = [];
    const pages = awsPages({
      fetch: (NextToken) =>
        this.session.send<DescribeStackEventsCommandOutput>(
          'cloudformation',
          new DescribeStackEventsCommand({ StackName: stackId, NextToken }),
          stackId,
        ),
      next: (page) => page.NextToken,
      maxPages: EVENT_PAGES,
    });
    read: for await (const page of pages) {
      for (const raw of page.StackEvents ?? []) {
        if (raw.EventId === afterEventId) break read;
        out.push(toEvent(raw));
      }
    }
    return out.reverse();
  }

  private async classicCheck(loadBalancer: string): Promise<string | undefined> {
    if (!this.checks.has(loadBalancer))
      this.checks.set(loadBalancer, await classicHealthCheckTarget(this.session, loadBalancer));
    return this.checks.get(loadBalancer);
  }

  /** The newest 100 activities of each group, oldest first. */
  private async scalingActivities(groups: string[]): Promise<ScalingActivity[]> {
    if (groups.length === 0) return [];
    const lists = await Promise.all(
      groups.map(async (g) => {
        const out = await this.session.send<DescribeScalingActivitiesCommandOutput>(
          'autoscaling',
          new DescribeScalingActivitiesCommand({ AutoScalingGroupName: g, MaxRecords: 100 }),
          g,
        );
        return (out.Activities ?? []).map((a) => ({
          activityId: a.ActivityId ?? '',
          statusCode: a.StatusCode ?? '',
          statusMessage: a.StatusMessage || undefined,
          description: a.Description || undefined,
          cause: a.Cause || undefined,
          startTime: a.StartTime,
        }));
      }),
    );
    return lists.flat().sort((a, b) => (a.startTime?.getTime() ?? 0) - (b.startTime?.getTime() ?? 0));
  }

  private async consoles(): Promise<{ instanceId: string; lines: string[] }[]> {
    try {
      const outputs = await fetchConsoleOutput(
        this.session,
        [this.name, this.version],
        this.options.consoleLines ?? 200,
      );
      return outputs.map((o) => ({ instanceId: o.instanceId, lines: o.lines }));
    } catch (e) {
      // No instance (yet, or any more): no console.
      if (e instanceof NotFoundError) return [];
      throw e;
    }
  }

  /** The Taupage `source` of the groups' launch configurations, and the registry's answer for it (asked once). */
  private async image(groups: string[]): Promise<ImageAnswer | undefined> {
    if (groups.length === 0) return undefined;
    const out = await this.session.send<DescribeAutoScalingGroupsCommandOutput>(
      'autoscaling',
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: groups }),
      groups[0],
    );
    const configs = (out.AutoScalingGroups ?? []).flatMap((g) =>
      g.LaunchConfigurationName ? [g.LaunchConfigurationName] : [],
    );
    if (configs.length === 0) return undefined;
    const lc = await this.session.send(
      'autoscaling',
      new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: configs.slice(0, 1) }),
      configs[0],
    );
    const source = dockerSourceOf(lc.LaunchConfigurations?.[0]?.UserData);
    if (!source) return undefined;
    const known = this.images.get(source);
    if (known && !known.error) return known;
    const ask = this.options.imageExists ?? ((image: string) => dockerImageExists(image));
    let answer: ImageAnswer;
    try {
      answer = { image: source, exists: await ask(source) };
    } catch (e) {
      answer = { image: source, exists: null, error: (e as Error).message };
    }
    this.images.set(source, answer);
    return answer;
  }
}
