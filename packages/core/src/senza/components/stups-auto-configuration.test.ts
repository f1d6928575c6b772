import { describe, expect, it } from 'vitest';
import { stupsAutoConfiguration } from './stups-auto-configuration.js';
import { runComponent } from './test-context.js';

describe('Senza::StupsAutoConfiguration', () => {
  it('upstream test_component_stups_auto_configuration: AvailabilityZones filter', () => {
    const { template } = runComponent(
      stupsAutoConfiguration,
      { AvailabilityZones: ['az-1'] },
      {
        region: 'myregion',
        facts: {
          vpcs: [{ id: 'vpc-1', isDefault: true }],
          subnets: [
            { id: 'sn-1', vpcId: 'vpc-1', availabilityZone: 'az-1', name: 'dmz-1' },
            { id: 'sn-2', vpcId: 'vpc-1', availabilityZone: 'az-2', name: 'dmz-2' },
            { id: 'sn-3', vpcId: 'vpc-1', availabilityZone: 'az-1', name: 'internal-3' },
          ],
          taupageImages: { production: 'ami-1' },
        },
      },
    );
    expect(template.Mappings.LoadBalancerSubnets).toEqual({ myregion: { Subnets: ['sn-1'] } });
    expect(template.Mappings.ServerSubnets).toEqual({ myregion: { Subnets: ['sn-3'] } });
  });

  const facts = {
    vpcs: [{ id: 'vpc-1', isDefault: true }],
    subnets: [{ id: 'sn-1', vpcId: 'vpc-1', availabilityZone: 'a', name: 'internal-a' }],
  };

  it('adds the Taupage images of the three channels', () => {
    const { template, needs } = runComponent(
      stupsAutoConfiguration,
      {},
      { facts: { ...facts, taupageImages: { production: 'ami-p', staging: 'ami-s', dev: 'ami-d' } } },
    );
    expect(needs).toEqual([{ kind: 'taupageImages' }, { kind: 'subnets' }, { kind: 'vpcs' }]);
    expect(template.Mappings.Images).toEqual({
      'eu-central-1': {
        LatestTaupageImage: 'ami-p',
        LatestTaupageStagingImage: 'ami-s',
        LatestTaupageDevImage: 'ami-d',
      },
    });
  });

  it('leaves out channels without an AMI', () => {
    const { template } = runComponent(
      stupsAutoConfiguration,
      {},
      { facts: { ...facts, taupageImages: { production: 'ami-p' } } },
    );
    expect(template.Mappings.Images).toEqual({ 'eu-central-1': { LatestTaupageImage: 'ami-p' } });
  });

  it('Deviation from senza (#230): no production Taupage AMI is not an error here', () => {
    const { template } = runComponent(stupsAutoConfiguration, {}, { facts: { ...facts, taupageImages: {} } });
    expect(template.Mappings.Images).toBeUndefined();
    expect(template.Mappings.ServerSubnets).toEqual({ 'eu-central-1': { Subnets: ['sn-1'] } });
  });

  it('keeps images of the configuration and does not mutate it', () => {
    const config = { Images: { Custom: { 'eu-central-1': 'ami-c' } } };
    const { template } = runComponent(stupsAutoConfiguration, config, {
      facts: { ...facts, taupageImages: { production: 'ami-p' } },
    });
    expect(template.Mappings.Images).toEqual({ 'eu-central-1': { Custom: 'ami-c', LatestTaupageImage: 'ami-p' } });
    expect(config).toEqual({ Images: { Custom: { 'eu-central-1': 'ami-c' } } });
  });
});
