import type { AwsResponse } from './aws-errors.js';
import { parseXml, serializeXml, type XmlElement } from './xml.js';

/** The XML document of a successful answer, or undefined (errors and non-XML answers pass untouched). */
export function readXml(res: AwsResponse): XmlElement | undefined {
  if (res.status < 200 || res.status >= 300 || res.body.length === 0) return undefined;
  try {
    return parseXml(res.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The answer with its XML document replaced. */
export function writeXml(res: AwsResponse, root: XmlElement): AwsResponse {
  return { ...res, body: Buffer.from(serializeXml(root)) };
}
