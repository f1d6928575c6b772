import type { FactNeed } from '../template/account-facts.js';
import type { CfTemplate, JsonObject } from '../template/template-types.js';
import type { ComponentContext, ComponentType, NeedsContext } from './component.js';
import { applyConfiguration, ensureMap } from './configuration.js';
import { subnetNeeds, withDetectedSubnets } from './subnet-auto-configuration.js';

/** The Taupage release channels: image mapping key and the AMI name pattern it was looked up with. */
export const TAUPAGE_CHANNELS = [
  { channel: 'production', mapping: 'LatestTaupageImage', pattern: 'Taupage-AMI-*' },
  { channel: 'staging', mapping: 'LatestTaupageStagingImage', pattern: 'TaupageStaging-AMI-*' },
  { channel: 'dev', mapping: 'LatestTaupageDevImage', pattern: 'TaupageDev-AMI-*' },
] as const;

export const stupsAutoConfiguration: ComponentType = {
  type: 'Senza::StupsAutoConfiguration',
  needs(config: JsonObject, ctx: NeedsContext): FactNeed[] {
    return [{ kind: 'taupageImages' }, ...subnetNeeds(config, ctx)];
  },
  apply(template: CfTemplate, config: JsonObject, ctx: ComponentContext): void {
    const withImages = structuredClone(config);
    for (const { channel, mapping } of TAUPAGE_CHANNELS) {
      const ami = ctx.facts.taupageImage(channel);
      // Deviation from senza: the original failed with "No Taupage AMI found" when the production
      // channel was missing, even for definitions that never use Taupage (issue #230). A missing
      // channel is left out of Mappings.Images instead; the (Taupage) auto scaling group that
      // references the absent image key reports the missing AMI (see auto-scaling-group.ts).
      if (ami) ensureMap(withImages, 'Images', mapping)[ctx.region] = ami;
    }
    applyConfiguration(template, withDetectedSubnets(withImages, ctx), ctx);
  },
};
