import type Docker from 'dockerode';

/**
 * A container's recent output as text, like `docker logs`: for a container without a TTY, the engine
 * frames stdout and stderr in one stream (8-byte headers: stream, 0, 0, 0, length as big-endian u32).
 */
export const CONSOLE_BYTES = 64 * 1024;

export async function containerOutput(docker: Docker, containerId: string, maxBytes = CONSOLE_BYTES): Promise<string> {
  const container = docker.getContainer(containerId);
  const info = await container.inspect();
  const raw = (await container.logs({ stdout: true, stderr: true, follow: false, tail: 2000 })) as unknown as Buffer;
  const bytes = info.Config?.Tty ? raw : demuxFrames(raw);
  const text = bytes.subarray(Math.max(0, bytes.length - maxBytes)).toString('utf8');
  // A cut in the middle of a multi-byte character leaves a replacement character at the start.
  return text.replace(/^\uFFFD+/, '');
}

/** The payloads of the engine's multiplexed frames, in order. */
export function demuxFrames(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const stream = raw[at];
    if ((stream !== 0 && stream !== 1 && stream !== 2) || raw[at + 1] !== 0 || raw[at + 2] !== 0 || raw[at + 3] !== 0)
      break;
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, Math.min(raw.length, at + 8 + size)));
    at += 8 + size;
  }
  // Not framed at all (a TTY container, or an engine that sent plain text): the bytes as they are.
  return parts.length === 0 ? raw : Buffer.concat(parts);
}
