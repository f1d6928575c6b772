import { isObject, type Json, type JsonObject } from '../template/template-types.js';

/**
 * Instance settings of an auto scaling group, written by Senza definitions in the vocabulary of
 * `AWS::AutoScaling::LaunchConfiguration` (the original's resource), as the `LaunchTemplateData` of an
 * `AWS::EC2::LaunchTemplate`.
 *
 * Deviation from senza: accounts created on or after 2024-10-01 cannot create launch configurations by
 * any method, CloudFormation included, and instance types released since 2023 are not offered in them
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/LaunchConfiguration.html), so every group
 * gets a launch template. The property names differ; the settings are the same:
 * - `AssociatePublicIpAddress` and `SecurityGroups` become the primary network interface
 *   (`NetworkInterfaces: [{DeviceIndex: 0, AssociatePublicIpAddress, Groups}]`): a launch template
 *   sets the public IP only on a network interface, and then its security groups must be there too
 *   (`SecurityGroupIds` cannot be combined with network interfaces).
 * - `IamInstanceProfile` (a name or an ARN) becomes `{Name}` or `{Arn}`.
 * - `InstanceMonitoring` becomes `Monitoring: {Enabled}`, `SpotPrice` becomes
 *   `InstanceMarketOptions: {MarketType: spot, SpotOptions: {MaxPrice}}`, `PlacementTenancy` becomes
 *   `Placement: {Tenancy}`, and `NoDevice: true` in a block device mapping becomes `NoDevice: ""`.
 */
export function launchTemplateData(settings: JsonObject): JsonObject {
  const data: JsonObject = {};
  const networkInterface: JsonObject = { DeviceIndex: 0 };
  for (const [key, value] of Object.entries(settings)) {
    switch (key) {
      case 'AssociatePublicIpAddress':
        networkInterface.AssociatePublicIpAddress = value;
        break;
      case 'SecurityGroups':
        networkInterface.Groups = value;
        break;
      case 'IamInstanceProfile':
        data.IamInstanceProfile = instanceProfile(value);
        break;
      case 'InstanceMonitoring':
        data.Monitoring = { Enabled: isObject(value) && 'Enabled' in value ? value.Enabled : value };
        break;
      case 'SpotPrice':
        data.InstanceMarketOptions = {
          MarketType: 'spot',
          SpotOptions: { MaxPrice: typeof value === 'number' ? String(value) : value },
        };
        break;
      case 'PlacementTenancy':
        data.Placement = { Tenancy: value };
        break;
      case 'BlockDeviceMappings':
        data.BlockDeviceMappings = Array.isArray(value) ? value.map(blockDeviceMapping) : value;
        break;
      default:
        data[key] = value;
    }
  }
  if (Object.keys(networkInterface).length > 1) data.NetworkInterfaces = [networkInterface];
  return data;
}

/** Whether the launch template data gives instances a public IP address. */
export function associatesPublicIp(data: JsonObject): Json | undefined {
  const interfaces = data.NetworkInterfaces;
  const first = Array.isArray(interfaces) ? interfaces[0] : undefined;
  return isObject(first) ? first.AssociatePublicIpAddress : undefined;
}

/**
 * A launch configuration's instance profile (its name or ARN; `{Ref: <profile>}` is its name,
 * `{Fn::GetAtt: [<profile>, Arn]}` its ARN) as a launch template's `{Name}` or `{Arn}`.
 */
function instanceProfile(value: Json): Json {
  if (typeof value === 'string') return value.startsWith('arn:') ? { Arn: value } : { Name: value };
  if (isObject(value) && ('Arn' in value || 'Name' in value)) return value;
  if (isObject(value) && 'Fn::GetAtt' in value) return { Arn: value };
  return { Name: value };
}

function blockDeviceMapping(mapping: Json): Json {
  if (!isObject(mapping) || !('NoDevice' in mapping)) return mapping;
  const { NoDevice, ...rest } = mapping;
  // A launch template suppresses a device with an empty string; a launch configuration with true.
  return NoDevice === true ? { ...rest, NoDevice: '' } : NoDevice === false ? rest : mapping;
}
