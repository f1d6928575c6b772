import { describe, expect, it } from 'vitest';
import { cleanCloudName, componentLoadBalancerName, loadBalancerName } from './load-balancer-name.js';

describe('cleanCloudName', () => {
  it('removes doubled, leading and trailing dashes', () => {
    expect(cleanCloudName('invalid-aws--cloud-name-', 32)).toBe('invalid-aws-cloud-name');
    expect(cleanCloudName('-abc', 32)).toBe('abc');
    expect(cleanCloudName('a---b', 32)).toBe('a-b');
  });

  it('cuts before cleaning, so a cut that ends on a dash loses it', () => {
    expect(cleanCloudName('aaaa-bbbb', 5)).toBe('aaaa');
    expect(cleanCloudName('abcdef', 3)).toBe('abc');
  });
});

describe('loadBalancerName', () => {
  it('keeps the whole version and shortens the stack name to fit 32 characters', () => {
    expect(loadBalancerName('foobar'.repeat(5), '0.1')).toBe('foobarfoobarfoobarfoobarfoob-0.1');
    expect(loadBalancerName('really-long-application-name', 'cd871c54')).toBe('really-long-application-cd871c54');
    expect(loadBalancerName('toolong123456789012345678901234567890', '1')).toBe('toolong12345678901234567890123-1');
    expect(loadBalancerName('a', '1')).toBe('a-1');
    expect(loadBalancerName('really-long-application-name', 'cd871c54')).toHaveLength(32);
  });

  it('does not leave a dash at the cut', () => {
    expect(loadBalancerName('aaaa-bbbb', 'v'.repeat(26))).toBe(`aaaa-${'v'.repeat(26)}`);
  });

  it('appends NameSuffix to the version', () => {
    expect(componentLoadBalancerName({ StackName: 'app', StackVersion: '1' }, 'green')).toBe('app-1-green');
    expect(componentLoadBalancerName({ StackName: 'app', StackVersion: '1' }, undefined)).toBe('app-1');
    expect(componentLoadBalancerName({ StackName: 'app', StackVersion: '1' }, '')).toBe('app-1');
    expect(componentLoadBalancerName({ StackName: 'x'.repeat(40), StackVersion: '12' }, 'blue')).toBe(
      `${'x'.repeat(24)}-12-blue`,
    );
  });
});
