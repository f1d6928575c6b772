import { pythonFloatRepr, pythonInt, pythonStr } from '../../io/python-values.js';
import { type CfTemplate, isObject, type Json, type JsonObject } from '../template/template-types.js';
import { type ComponentContext, configError } from './component.js';

/** Where in the component a parse error is reported (relative to the component). */
type ErrorAt = { ctx: { path: (string | number)[] }; key: (string | number)[] };

function fail(at: ErrorAt | undefined, reason: string, hint: string): never {
  throw configError(at?.ctx ?? { path: [] }, at?.key ?? null, reason, hint);
}

function requireInt(value: Json | undefined, what: string, at: ErrorAt | undefined): number {
  const n = pythonInt(value);
  if (n === undefined) fail(at, `${what} must be an integer, not ${JSON.stringify(value)}`, `e.g. ${what}: 2`);
  return n;
}

const DURATION = /^(?:\d+[hH])?(?:\d+[mM])?(?:\d+[sS])?$/;

/** `4h0m5s` → `PT4H0M5S`; the parts must come in h, m, s order. */
export function toIso8601Duration(duration: Json | undefined, at?: ErrorAt): string {
  if (typeof duration === 'string' && duration !== '' && DURATION.test(duration)) {
    return `PT${duration.toUpperCase()}`;
  }
  const shown = duration === undefined ? 'None' : pythonStr(duration);
  return fail(
    at,
    `Unknown duration ${shown}. Use something like 15m.`,
    'Write hours, minutes, seconds in this order, e.g. 1h30m.',
  );
}

/**
 * `SuccessRequires` → [count, timeout] of the ASG creation policy: a number (or digit string) is the
 * count with the default timeout `PT15M`; `"<count> within <duration>"` sets both.
 */
export function normalizeAsgSuccess(success: Json | undefined, at?: ErrorAt): [Json, string] {
  const defaultTimeout = 'PT15M';
  if (success === undefined || success === null) return ['1', defaultTimeout];
  if (typeof success === 'number' || typeof success === 'boolean') {
    return [typeof success === 'number' && !Number.isInteger(success) ? success : pythonStr(success), defaultTimeout];
  }
  if (typeof success === 'string') {
    // A digit string is kept as written (the original returned the string itself).
    if (pythonInt(success) !== undefined) return [success, defaultTimeout];
    const parts = success.split('within');
    if (parts.length === 2) {
      return [parts[0].trim(), toIso8601Duration(parts[1].trim(), at)];
    }
  }
  return fail(
    at,
    `Unknown ASG success requirement "${pythonStr(success)}". Use something like "1 within 10m".`,
    'SuccessRequires takes an instance count, optionally with a timeout: "2 within 15m".',
  );
}

const UNIT_SHORTCUTS: Record<string, string> = {
  B: 'Bytes',
  KB: 'Kilobytes',
  MB: 'Megabytes',
  GB: 'Gigabytes',
  TB: 'Terabytes',
};

/** A network threshold → [amount, CloudWatch unit]: `10` or `"10"` → bytes; `"20 GB"`, `"5.7 Terabytes"`. */
export function normalizeNetworkThreshold(threshold: Json | undefined, at?: ErrorAt): [Json, string] | [] {
  if (threshold === undefined || threshold === null) return [];
  if (typeof threshold === 'number' || typeof threshold === 'boolean') {
    return [typeof threshold === 'number' && !Number.isInteger(threshold) ? threshold : pythonStr(threshold), 'Bytes'];
  }
  if (typeof threshold === 'string') {
    if (pythonInt(threshold) !== undefined) return [threshold, 'Bytes'];
    if (threshold.includes(' ')) {
      const parts = threshold.trim().split(/\s+/);
      if (parts.length === 2) {
        const [amount, given] = parts;
        const unit = UNIT_SHORTCUTS[given] ?? given;
        const allowed = Object.values(UNIT_SHORTCUTS);
        if (!allowed.includes(unit)) {
          fail(
            at,
            `Network threshold unit must be one of [${allowed.map((u) => `'${u}'`).join(', ')}]`,
            'Units: B, KB, MB, GB, TB or their long names (Bytes, Kilobytes, ...).',
          );
        }
        return [amount, unit];
      }
    }
  }
  return fail(
    at,
    `Unknown network threshold "${pythonStr(threshold)}". Use something like "20 GB".`,
    'Separate amount and unit with a space: "20 GB".',
  );
}

/** Scaling policy `<asg><suffix>`; a policy the user defined in Resources is kept if it references the group. */
function scalingPolicy(
  template: CfTemplate,
  asgName: string,
  policyName: string,
  adjustment: number,
  cooldown: Json,
  ctx: ComponentContext,
): JsonObject {
  const existing = template.Resources[policyName];
  if (existing === undefined) {
    return {
      Type: 'AWS::AutoScaling::ScalingPolicy',
      Properties: {
        AdjustmentType: 'ChangeInCapacity',
        ScalingAdjustment: String(adjustment),
        Cooldown: pythonStr(cooldown),
        AutoScalingGroupName: { Ref: asgName },
      },
    };
  }
  const props = existing.Properties;
  const group = isObject(props) ? props.AutoScalingGroupName : undefined;
  if (!isObject(group) || group.Ref !== asgName) {
    throw configError(
      ctx,
      'AutoScaling',
      `Specified ScalingPolicy ${policyName} does not reference the autoscaling group ${asgName}`,
      `Set Properties.AutoScalingGroupName to {Ref: ${asgName}} in Resources.${policyName}, or remove it to get the generated policy.`,
    );
  }
  return existing;
}

const METRIC_TYPES = ['CPU', 'NetworkIn', 'NetworkOut'] as const;
type MetricType = (typeof METRIC_TYPES)[number];

function alarm(
  asgName: string,
  direction: 'up' | 'down',
  metric: { MetricName: string; Unit?: string },
  threshold: Json,
  period: number,
  evaluationPeriods: number,
  statistic: Json,
  description: string,
): JsonObject {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      MetricName: metric.MetricName,
      Namespace: 'AWS/EC2',
      Period: String(period),
      EvaluationPeriods: String(evaluationPeriods),
      Statistic: statistic,
      Threshold: threshold,
      ...(metric.Unit === undefined ? {} : { Unit: metric.Unit }),
      ComparisonOperator: direction === 'up' ? 'GreaterThanThreshold' : 'LessThanThreshold',
      Dimensions: [{ Name: 'AutoScalingGroupName', Value: { Ref: asgName } }],
      AlarmDescription: description,
      AlarmActions: [{ Ref: asgName + (direction === 'up' ? 'ScaleUp' : 'ScaleDown') }],
    },
  };
}

function addAlarms(
  template: CfTemplate,
  asgName: string,
  metricType: MetricType,
  conf: JsonObject,
  ctx: ComponentContext,
): void {
  const at = (key: string): ErrorAt => ({ ctx, key: ['AutoScaling', key] });
  const period = requireInt(conf.Period ?? 300, 'Period', at('Period'));
  const evaluationPeriods = requireInt(conf.EvaluationPeriods ?? 2, 'EvaluationPeriods', at('EvaluationPeriods'));
  const statistic = conf.Statistic ?? 'Average';
  // Same float arithmetic as the original, printed as a Python float: 10.0, 1.5, ...
  const minutes = pythonFloatRepr((period / 60) * evaluationPeriods);
  const statisticText = pythonStr(statistic);

  if (metricType === 'CPU') {
    const cpu = { MetricName: 'CPUUtilization' };
    if ('ScaleUpThreshold' in conf) {
      const t = conf.ScaleUpThreshold;
      template.Resources[`${asgName}CPUAlarmHigh`] = alarm(
        asgName,
        'up',
        cpu,
        t,
        period,
        evaluationPeriods,
        statistic,
        `Scale-up if CPU > ${pythonStr(t)}% for ${minutes} minutes (${statisticText})`,
      );
    }
    if ('ScaleDownThreshold' in conf) {
      const t = conf.ScaleDownThreshold;
      template.Resources[`${asgName}CPUAlarmLow`] = alarm(
        asgName,
        'down',
        cpu,
        t,
        period,
        evaluationPeriods,
        statistic,
        `Scale-down if CPU < ${pythonStr(t)}% for ${minutes} minutes (${statisticText})`,
      );
    }
    return;
  }

  // Network metrics need both thresholds (the original failed with a KeyError otherwise).
  const thresholds = (['ScaleUpThreshold', 'ScaleDownThreshold'] as const).map((key) => {
    const parsed = normalizeNetworkThreshold(conf[key], at(key));
    if (parsed.length === 0) {
      throw configError(
        ctx,
        ['AutoScaling', key],
        `${key} is required for MetricType ${metricType}`,
        `Set both ScaleUpThreshold and ScaleDownThreshold, e.g. ${key}: "20 MB".`,
      );
    }
    return parsed;
  });
  const [[upAmount, upUnit], [downAmount, downUnit]] = thresholds as [[Json, string], [Json, string]];
  template.Resources[`${asgName}NetworkAlarmHigh`] = alarm(
    asgName,
    'up',
    { MetricName: metricType, Unit: upUnit },
    upAmount,
    period,
    evaluationPeriods,
    statistic,
    `Scale-up if ${metricType} > ${pythonStr(upAmount)} ${upUnit} for ${minutes} minutes (${statisticText})`,
  );
  template.Resources[`${asgName}NetworkAlarmLow`] = alarm(
    asgName,
    'down',
    { MetricName: metricType, Unit: downUnit },
    downAmount,
    period,
    evaluationPeriods,
    statistic,
    `Scale-down if ${metricType} < ${pythonStr(downAmount)} ${downUnit} for ${minutes} minutes (${statisticText})`,
  );
}

/**
 * The `AutoScaling` section of an auto scaling group: group sizes on `asgProperties`, the ScaleUp and
 * ScaleDown policies, and the CloudWatch alarms of `MetricType`.
 */
export function applyAutoScaling(
  template: CfTemplate,
  asgName: string,
  asgProperties: JsonObject,
  conf: JsonObject,
  ctx: ComponentContext,
): void {
  const at = (key: string): ErrorAt => ({ ctx, key: ['AutoScaling', key] });
  for (const key of ['Minimum', 'Maximum']) {
    if (conf[key] === undefined || conf[key] === null) {
      throw configError(
        ctx,
        ['AutoScaling', key],
        `AutoScaling.${key} is required`,
        `e.g. AutoScaling: {Minimum: 1, Maximum: 3}`,
      );
    }
  }
  // The user's values as written (an int stays an int, a string a string).
  asgProperties.MaxSize = conf.Maximum;
  asgProperties.MinSize = conf.Minimum;
  const minimum = requireInt(conf.Minimum, 'Minimum', at('Minimum'));
  const maximum = requireInt(conf.Maximum, 'Maximum', at('Maximum'));
  const desired = requireInt(conf.DesiredCapacity ?? 1, 'DesiredCapacity', at('DesiredCapacity'));
  // Deviation from senza: the original set max(Minimum, DesiredCapacity) without clamping it to
  // Maximum, which CloudFormation rejects; the desired capacity is clamped to Maximum.
  asgProperties.DesiredCapacity = Math.min(Math.max(minimum, desired), maximum);

  const defaultAdjustment = conf.ScalingAdjustment ?? 1;
  const defaultCooldown = conf.Cooldown ?? '60';
  const upAdjustment = requireInt(
    conf.ScaleUpAdjustment ?? defaultAdjustment,
    'ScaleUpAdjustment',
    at('ScaleUpAdjustment'),
  );
  const downAdjustment = requireInt(
    conf.ScaleDownAdjustment ?? defaultAdjustment,
    'ScaleDownAdjustment',
    at('ScaleDownAdjustment'),
  );
  const upName = `${asgName}ScaleUp`;
  const downName = `${asgName}ScaleDown`;
  template.Resources[upName] = scalingPolicy(
    template,
    asgName,
    upName,
    upAdjustment,
    conf.ScaleUpCooldown ?? defaultCooldown,
    ctx,
  );
  template.Resources[downName] = scalingPolicy(
    template,
    asgName,
    downName,
    -downAdjustment,
    conf.ScaleDownCooldown ?? defaultCooldown,
    ctx,
  );

  if ('MetricType' in conf) {
    const given = conf.MetricType;
    // Deviation from senza: the original validated MetricType case-insensitively but then crashed on
    // anything but the exact spelling (`cpu`); any case now selects the metric.
    const metricType = METRIC_TYPES.find((t) => typeof given === 'string' && t.toLowerCase() === given.toLowerCase());
    if (metricType === undefined) {
      throw configError(
        ctx,
        ['AutoScaling', 'MetricType'],
        `Auto scaling MetricType "${pythonStr(given)}" not supported.`,
        `Use one of ${METRIC_TYPES.join(', ')}.`,
      );
    }
    addAlarms(template, asgName, metricType, conf, ctx);
  }
}
