import { randomUUID } from 'node:crypto';
import type { AwsRequest } from './aws-request.js';
import { escapeXml } from './xml.js';

/** An HTTP answer as the layer passes it on. */
export interface AwsResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * An AWS error answer in the request's wire protocol, shaped as AWS sends it, so that the SDK
 * deserialises it to the named exception (and applies its retry rules to it).
 */
export function awsError(req: AwsRequest, status: number, code: string, message: string): AwsResponse {
  const requestId = randomUUID();
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
  let body: string;
  switch (req.protocol) {
    case 'json':
      headers['content-type'] = 'application/x-amz-json-1.1';
      headers['x-amzn-errortype'] = code;
      body = JSON.stringify({ __type: code, message });
      break;
    case 'ec2':
      headers['content-type'] = 'text/xml;charset=UTF-8';
      body =
        `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${escapeXml(code)}</Code>` +
        `<Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
      break;
    default: {
      // awsQuery and restXml (Route53) share the ErrorResponse envelope.
      headers['content-type'] = 'text/xml';
      const ns =
        req.service === 'route53'
          ? 'https://route53.amazonaws.com/doc/2013-04-01/'
          : req.service === 'cloudformation'
            ? 'http://cloudformation.amazonaws.com/doc/2010-05-15/'
            : undefined;
      body =
        `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse${ns ? ` xmlns="${ns}"` : ''}><Error><Type>Sender</Type>` +
        `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`;
    }
  }
  return { status, headers, body: Buffer.from(body) };
}

/** The throttling error each service sends when its request rate is exceeded. */
export function throttlingError(req: AwsRequest): AwsResponse {
  if (req.protocol === 'ec2') return awsError(req, 503, 'RequestLimitExceeded', 'Request limit exceeded.');
  if (req.protocol === 'json') return awsError(req, 400, 'ThrottlingException', 'Rate exceeded');
  return awsError(req, 400, 'Throttling', 'Rate exceeded');
}
