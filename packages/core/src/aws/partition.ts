/**
 * The AWS partition of a region, the second field of every ARN in it (`arn:<partition>:…`): ARNs in
 * China say `aws-cn`, in GovCloud `aws-us-gov`, in the European Sovereign Cloud `aws-eusc`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html, the SDK's partitions.json).
 */
const PARTITIONS: [RegExp, string][] = [
  [/^cn-/, 'aws-cn'],
  [/^us-gov-/, 'aws-us-gov'],
  [/^us-iso-/, 'aws-iso'],
  [/^us-isob-/, 'aws-iso-b'],
  [/^us-isof-/, 'aws-iso-f'],
  [/^eu-isoe-/, 'aws-iso-e'],
  [/^eusc-/, 'aws-eusc'],
];

export function partitionOf(region: string): string {
  return PARTITIONS.find(([pattern]) => pattern.test(region))?.[1] ?? 'aws';
}

/** `arn:aws:…`, `arn:aws-cn:…`, …: an ARN of `service` in any partition. */
export function isArnOf(value: string, service: string): boolean {
  return new RegExp(`^arn:aws(-[a-z]+)*:${service}:`).test(value);
}
