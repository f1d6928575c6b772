import { describe, expect, it } from 'vitest';
import { mintReadPolicy } from './init-resources.js';

describe('init resources', () => {
  it("gives the mint bucket's ARN in the region's partition", () => {
    const resource = (region: string) => mintReadPolicy('my-mint', 'shop', region).Statement[0].Resource;
    expect(resource('eu-central-1')).toEqual(['arn:aws:s3:::my-mint/shop/*']);
    expect(resource('cn-north-1')).toEqual(['arn:aws-cn:s3:::my-mint/shop/*']);
    expect(resource('us-gov-west-1')).toEqual(['arn:aws-us-gov:s3:::my-mint/shop/*']);
  });
});
