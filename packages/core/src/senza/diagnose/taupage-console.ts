/**
 * The lines Taupage's Docker runtime writes to an instance's console (and the local platform's runtime
 * writes likewise): the image pull and its error, the container's start and exit code, a value that does
 * not decrypt. Everything else on the console is the application's own output. One home for the format:
 * the local runtime writes it, the diagnosis reads it.
 */
export const TAUPAGE_LINE = {
  pulling: (image: string) => `INFO: Pulling Docker image ${image}..`,
  pulled: (image: string) => `INFO: Docker image ${image} pulled`,
  pullFailed: (image: string, reason: string) => `ERROR: Docker image ${image} could not be pulled: ${oneLine(reason)}`,
  starting: (image: string) => `INFO: Starting Docker container (${image})..`,
  exited: (exitCode: number, restart: { count: number; max: number } | undefined) =>
    restart
      ? `ERROR: Docker container exited with code ${exitCode} (restart ${restart.count} of ${restart.max})`
      : `ERROR: Docker container exited with code ${exitCode}; not restarted`,
  decryptFailed: (key: string, reason: string) => `ERROR: Could not decrypt ${key}: ${oneLine(reason)}`,
} as const;

function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' ').trim();
}

/** What the Taupage lines of one console say. */
export interface TaupageConsole {
  pullFailures: { image: string; reason: string }[];
  /** Each exit of the container, oldest first; `restarted` false for the last one when it stays down. */
  exits: { exitCode: number; restarted: boolean }[];
  decryptFailures: { key: string; reason: string }[];
  /** The lines that are not Taupage's: the application's output. */
  applicationLines: string[];
}

const PULL_FAILED = /^ERROR: Docker image (\S+) could not be pulled: (.*)$/;
const EXITED = /^ERROR: Docker container exited with code (-?\d+)(?: \(restart \d+ of \d+\)|(; not restarted))$/;
const DECRYPT_FAILED = /^ERROR: Could not decrypt (\S+): (.*)$/;
const TAUPAGE =
  /^(INFO|ERROR|WARNING): (Pulling Docker image|Docker image|Starting Docker container|Docker container|Could not decrypt)/;

export function parseTaupageConsole(lines: readonly string[]): TaupageConsole {
  const out: TaupageConsole = { pullFailures: [], exits: [], decryptFailures: [], applicationLines: [] };
  for (const raw of lines) {
    // Console output can carry a syslog-style prefix before Taupage's level; the marker is what counts.
    const line = raw.replace(/\r$/, '');
    const at = line.search(/(INFO|ERROR|WARNING): /);
    const body = at >= 0 ? line.slice(at) : line;
    let m = PULL_FAILED.exec(body);
    if (m) {
      out.pullFailures.push({ image: m[1], reason: m[2] });
      continue;
    }
    m = EXITED.exec(body);
    if (m) {
      out.exits.push({ exitCode: Number(m[1]), restarted: m[2] === undefined });
      continue;
    }
    m = DECRYPT_FAILED.exec(body);
    if (m) {
      out.decryptFailures.push({ key: m[1], reason: m[2] });
      continue;
    }
    if (TAUPAGE.test(body)) continue;
    out.applicationLines.push(line);
  }
  return out;
}
