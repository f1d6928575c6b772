import { describe, expect, it } from 'vitest';
import type { AccountFactsSnapshot } from '../template/account-facts.js';
import { subnetAutoConfiguration } from './subnet-auto-configuration.js';
import { runComponent } from './test-context.js';

const region = 'eu-central-1';
const facts: Omit<AccountFactsSnapshot, 'region'> = {
  vpcs: [{ id: 'vpc-1', isDefault: true }],
  subnets: [
    { id: 'subnet-int-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', name: 'internal-eu-central-1a' },
    { id: 'subnet-dmz-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', name: 'dmz-eu-central-1a' },
    { id: 'subnet-int-b', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b', name: 'internal-eu-central-1b' },
    { id: 'subnet-dmz-b', vpcId: 'vpc-1', availabilityZone: 'eu-central-1b', name: 'dmz-eu-central-1b' },
    { id: 'subnet-nat-a', vpcId: 'vpc-1', availabilityZone: 'eu-central-1a', name: 'nat-eu-central-1a' },
    { id: 'subnet-other', vpcId: 'vpc-2', availabilityZone: 'eu-central-1a', name: 'internal-x' },
  ],
};

function mappings(config: Record<string, unknown>, snapshot = facts) {
  const { template } = runComponent(subnetAutoConfiguration, config as never, {
    info: { StackName: 'app' },
    facts: snapshot,
  });
  const m = template.Mappings as Record<string, Record<string, { Subnets: string[] }>>;
  return {
    server: m.ServerSubnets[region].Subnets,
    lb: m.LoadBalancerSubnets[region].Subnets,
    internal: m.LoadBalancerInternalSubnets[region].Subnets,
  };
}

describe('Senza::SubnetAutoConfiguration', () => {
  it('classifies the default VPC subnets by Name tag: dmz, internal, nat ignored', () => {
    expect(mappings({})).toEqual({
      server: ['subnet-int-a', 'subnet-int-b'],
      lb: ['subnet-dmz-a', 'subnet-dmz-b'],
      internal: ['subnet-int-a', 'subnet-int-b'],
    });
  });

  it('puts subnets with other names into the server list only', () => {
    const snapshot = {
      ...facts,
      subnets: [
        { id: 's-1', vpcId: 'vpc-1', availabilityZone: 'a', name: 'dmz-1' },
        { id: 's-2', vpcId: 'vpc-1', availabilityZone: 'a', name: 'apps' },
        { id: 's-3', vpcId: 'vpc-1', availabilityZone: 'a' },
      ],
    };
    expect(mappings({}, snapshot)).toEqual({ server: ['s-2', 's-3'], lb: ['s-1'], internal: [] });
  });

  it('filters by AvailabilityZones', () => {
    expect(mappings({ AvailabilityZones: ['eu-central-1b'] })).toEqual({
      server: ['subnet-int-b'],
      lb: ['subnet-dmz-b'],
      internal: ['subnet-int-b'],
    });
  });

  it('uses the server subnets for load balancers when there is no DMZ (internal list may stay empty)', () => {
    const snapshot = {
      ...facts,
      subnets: [
        { id: 's-1', vpcId: 'vpc-1', availabilityZone: 'a', name: 'private-1' },
        { id: 's-2', vpcId: 'vpc-1', availabilityZone: 'b', name: 'private-2' },
      ],
    };
    expect(mappings({}, snapshot)).toEqual({ server: ['s-1', 's-2'], lb: ['s-1', 's-2'], internal: [] });
  });

  it('PublicOnly: only dmz subnets, for all three lists', () => {
    expect(mappings({ PublicOnly: true })).toEqual({
      server: ['subnet-dmz-a', 'subnet-dmz-b'],
      lb: ['subnet-dmz-a', 'subnet-dmz-b'],
      internal: ['subnet-dmz-a', 'subnet-dmz-b'],
    });
  });

  it('PublicOnly without dmz subnets: every subnet, for all three lists', () => {
    const snapshot = {
      ...facts,
      subnets: [
        { id: 's-1', vpcId: 'vpc-1', availabilityZone: 'a' },
        { id: 's-2', vpcId: 'vpc-1', availabilityZone: 'b', name: 'internal-b' },
      ],
    };
    expect(mappings({ PublicOnly: true }, snapshot)).toEqual({
      server: ['s-1', 's-2'],
      lb: ['s-1', 's-2'],
      internal: ['s-1', 's-2'],
    });
  });

  it('uses an explicit VpcId without looking up the VPCs', () => {
    const { needs, template } = runComponent(subnetAutoConfiguration, { VpcId: 'vpc-2' }, { facts });
    expect(needs).toEqual([{ kind: 'subnets' }]);
    expect(template.Mappings.ServerSubnets).toEqual({ [region]: { Subnets: ['subnet-other'] } });
  });

  it('runs the Configuration logic (parameters, description)', () => {
    const { template, needs } = runComponent(
      subnetAutoConfiguration,
      {},
      {
        facts,
        info: { StackName: 'my-app', Parameters: [{ Version: {} }] },
        args: { region, version: '1', Version: '2' },
      },
    );
    expect(needs).toEqual([{ kind: 'subnets' }, { kind: 'vpcs' }]);
    expect(template.Parameters).toEqual({ Version: { Type: 'String' } });
    expect(template.Description).toBe('My App (Version: 2)');
  });

  it("keeps other regions' subnet entries of the configuration", () => {
    const { template } = runComponent(subnetAutoConfiguration, { ServerSubnets: { 'us-east-1': ['s-us'] } }, { facts });
    expect(template.Mappings.ServerSubnets).toEqual({
      'us-east-1': { Subnets: ['s-us'] },
      [region]: { Subnets: ['subnet-int-a', 'subnet-int-b'] },
    });
  });
});
