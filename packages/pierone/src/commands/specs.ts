import { arg, commandShape, flag, int, outputOption, type RunOf, text } from '@stups/cli-kit';

/** `--url`: this run only (only `login` without it stores the URL, like the original). */
const urlOption = () => text('--url <URI>', 'Pier One URL (default: PIERONE_URL, then url in pierone.yaml)');
const common = () => ({ url: urlOption(), output: outputOption() });

export const loginShape = commandShape({
  args: [] as const,
  options: {
    url: urlOption(),
    storeToken: flag(
      '--store-token',
      'write the token into config.json (auths) instead of using the credential helper',
    ),
  },
});
export type LoginRun = RunOf<typeof loginShape>;

export const logoutShape = commandShape({ args: [] as const, options: { url: urlOption() } });
export type LogoutRun = RunOf<typeof logoutShape>;

export const teamsShape = commandShape({ args: [] as const, options: common() });
export type TeamsRun = RunOf<typeof teamsShape>;

export const artifactsShape = commandShape({
  args: [arg('<TEAM>', 'team ID', { complete: 'teams' })] as const,
  options: common(),
});
export type ArtifactsRun = RunOf<typeof artifactsShape>;

export const tagsShape = commandShape({
  args: [
    arg('<TEAM>', 'team ID', { complete: 'teams' }),
    arg('[ARTIFACT...]', 'artifacts (default: all of the team)', { complete: 'artifacts' }),
  ] as const,
  options: {
    ...common(),
    limit: int('-l, --limit <N>', 'show the last N tags per artifact, 0 for all (default: 20 with artifacts, else 3)', {
      min: 0,
      max: 1_000_000,
    }),
  },
});
export type TagsRun = RunOf<typeof tagsShape>;

export const scmSourceShape = commandShape({
  args: [
    arg('<TEAM>', 'team ID', { complete: 'teams' }),
    arg('<ARTIFACT>', 'artifact ID', { complete: 'artifacts' }),
    arg('[TAG...]', 'tags (default: all)', { complete: 'tags' }),
  ] as const,
  options: common(),
});
export type ScmSourceRun = RunOf<typeof scmSourceShape>;

export const latestShape = commandShape({
  args: [
    arg('<TEAM>', 'team ID', { complete: 'teams' }),
    arg('<ARTIFACT>', 'artifact ID', { complete: 'artifacts' }),
  ] as const,
  options: common(),
});
export type LatestRun = RunOf<typeof latestShape>;

export const imageShape = commandShape({
  args: [arg('<IMAGE>', 'image ID or a prefix of it, e.g. sha256:abcd')] as const,
  options: common(),
});
export type ImageRun = RunOf<typeof imageShape>;

export const doctorShape = commandShape({ args: [] as const, options: common() });
export type DoctorRun = RunOf<typeof doctorShape>;
