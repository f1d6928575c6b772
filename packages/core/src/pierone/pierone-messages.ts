import { EXIT } from '../errors.js';
import type { CodesOf } from '../io/message-codes.js';
import type { MessageCatalog } from '../io/messages.js';

/** What `pierone login` and `logout` tell the person (stderr); results of listings go to stdout. */
export const PIERONE_MESSAGES = {
  'pierone.login-config-written': {
    level: 'info',
    description: "The Docker configuration was written (the helper registered, or --store-token's auths entry).",
    data: {
      path: 'the config.json written',
      registry: 'the key used, host[:port]',
      removedAuths: 'stale auths keys removed for that registry',
    },
  },
  'pierone.login-done': {
    level: 'info',
    description: 'Login finished: the helper answers for the registry from now on (or the stored token does).',
  },
  'pierone.logout-done': {
    level: 'info',
    description: 'What logout removed from config.json, or that there was no login for the registry.',
    data: { path: 'the config.json', registry: 'the key, host[:port]' },
  },
  'pierone.bad-response': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Pier One answered with something that is not JSON, naming the URL.',
  },
  'pierone.forbidden': {
    level: 'error',
    exitCode: EXIT.AUTH,
    description: 'Pier One denied access (403): the token lacks the scope or team for this call.',
  },
  'pierone.http-error': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'Pier One answered an unexpected HTTP status, naming it and the URL.',
  },
  'pierone.not-found': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: 'The team, artifact, tag or image asked for does not exist in Pier One.',
  },
  'pierone.unauthorized': {
    level: 'error',
    exitCode: EXIT.AUTH,
    description: 'Pier One refused the token (401): expired, revoked or from another issuer.',
  },
  'pierone.docker-config-malformed': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'The Docker config.json is not valid JSON; it is reported with its path and left unchanged.',
  },
  'pierone.image-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'An image reference that is not [REGISTRY/]TEAM/ARTIFACT[:TAG].',
  },
  'pierone.url-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'The Pier One URL (--url, PIERONE_URL, pierone.yaml) is not an http(s) URL.',
  },
  'pierone.helper-bad-request': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'docker-credential-pierone store got stdin that is not {"ServerURL","Username","Secret"}.',
  },
  'pierone.helper-empty-stdin': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'docker-credential-pierone get or erase got no server URL on stdin.',
  },
  'pierone.helper-unknown-command': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'docker-credential-pierone was called without a command or with one the protocol does not know.',
  },
  'pierone.doctor-config-malformed': {
    level: 'error',
    description: 'pierone doctor: config.json is not valid JSON.',
  },
  'pierone.doctor-config-unreadable': {
    level: 'error',
    description: 'pierone doctor: config.json cannot be read (permission denied, a directory): the file and the fix.',
  },
  'pierone.doctor-no-config': {
    level: 'warn',
    description: 'pierone doctor: there is no config.json yet; run pierone login.',
  },
  'pierone.doctor-helper-registered': {
    level: 'info',
    description: 'pierone doctor: credHelpers names pierone for the registry (ok).',
  },
  'pierone.doctor-other-helper': {
    level: 'warn',
    description: 'pierone doctor: credHelpers names another helper for the registry.',
  },
  'pierone.doctor-helper-missing': {
    level: 'error',
    description: 'pierone doctor: no credHelpers entry for the registry; run pierone login.',
  },
  'pierone.doctor-creds-store': {
    level: 'info',
    description: 'pierone doctor: a credsStore is set; it is kept for other registries, credHelpers take precedence.',
  },
  'pierone.doctor-helper-binary': {
    level: 'info',
    description: 'pierone doctor: docker-credential-pierone is on PATH (ok).',
  },
  'pierone.doctor-helper-binary-missing': {
    level: 'error',
    description: 'pierone doctor: docker-credential-pierone is not on PATH, so Docker cannot call it.',
  },
  'pierone.doctor-registry': {
    level: 'info',
    description: 'pierone doctor: the registry answers and takes the pierone token (ok).',
  },
  'pierone.doctor-registry-unreachable': {
    level: 'error',
    description:
      'pierone doctor: the registry cannot be reached, does not answer in time, or answers with a server error.',
  },
  'pierone.doctor-token-refused': {
    level: 'error',
    description: 'pierone doctor: the registry refuses the pierone token (401/403), also after renewing it once.',
  },
  'pierone.doctor-no-token': {
    level: 'error',
    description: 'pierone doctor: no pierone token can be had here (no sign-in, no CI credentials); run pierone login.',
  },
  'pierone.doctor-plaintext-auth': {
    level: 'warn',
    description:
      'pierone doctor: config.json holds a plaintext auths entry (an error when it is the registry pierone serves).',
  },
  'pierone.team-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: 'A team name that does not match the Pier One pattern (lower-case letters, digits, - and _).',
    data: { team: 'the name given' },
  },
  'pierone.artifact-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: "An artifact name that does not match Docker's repository name grammar.",
    data: { artifact: 'the name given' },
  },
  'pierone.tag-invalid': {
    level: 'error',
    exitCode: EXIT.USAGE,
    description: "A tag that does not match Docker's tag grammar (up to 128 characters).",
    data: { tag: 'the tag given' },
  },
  'pierone.helper-not-on-path': {
    level: 'error',
    exitCode: EXIT.FAILED,
    description: '`pierone login` without --store-token, but docker-credential-pierone is not on PATH.',
  },
} satisfies MessageCatalog;

declare module '../io/message-codes.js' {
  interface MessageCodes extends CodesOf<typeof PIERONE_MESSAGES> {}
}
