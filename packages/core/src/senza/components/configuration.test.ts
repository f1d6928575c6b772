import { describe, expect, it } from 'vitest';
import { pythonTitle } from '../../io/table.js';
import { configuration, defaultDescription } from './configuration.js';
import { emptyTemplate, runComponent } from './test-context.js';

const info = {
  StackName: 'hello-world',
  StackVersion: '7',
  Parameters: [
    { ImageVersion: { Description: 'Docker image version of hello-world.' } },
    { Stage: { Description: 'Stage', Default: 'test', AllowedValues: ['test', 'live'] } },
  ],
};
const args = { region: 'eu-central-1', version: '7', Stage: 'test', ImageVersion: '1.0' };

describe('Senza::Configuration', () => {
  it('declares no account facts', () => {
    expect(runComponent(configuration, {}, { info, args }).needs).toEqual([]);
  });

  it('defines CloudFormation parameters from SenzaInfo.Parameters with Type String', () => {
    const { template } = runComponent(configuration, {}, { info, args });
    expect(template.Parameters).toEqual({
      ImageVersion: { Type: 'String', Description: 'Docker image version of hello-world.' },
      Stage: { Type: 'String', Description: 'Stage', Default: 'test', AllowedValues: ['test', 'live'] },
    });
  });

  it("lets the user's parameter Type win", () => {
    const { template } = runComponent(
      configuration,
      {},
      { info: { StackName: 's', Parameters: [{ Count: { Type: 'Number' } }] }, args },
    );
    expect(template.Parameters).toEqual({ Count: { Type: 'Number' } });
  });

  it('defines no parameters with DefineParameters: false', () => {
    const { template } = runComponent(configuration, { DefineParameters: false }, { info, args });
    expect(template.Parameters).toBeUndefined();
  });

  it('writes the default description: title-cased stack name and sorted arguments', () => {
    const { template } = runComponent(configuration, {}, { info, args });
    expect(template.Description).toBe('Hello World (ImageVersion: 1.0, Stage: test)');
  });

  it('keeps a description of the definition', () => {
    const { template } = runComponent(configuration, {}, { info, args }, emptyTemplate({ Description: 'Mine' }));
    expect(template.Description).toBe('Mine');
  });

  it('truncates the description to 1024 characters', () => {
    const long = defaultDescription('my-stack', { region: 'r', version: 'v', Param: 'x'.repeat(2000) });
    expect(long).toHaveLength(1024);
    expect(long.startsWith('My Stack (Param: xxx')).toBe(true);
  });

  it('title-cases like Python str.title()', () => {
    expect(pythonTitle('hello-world')).toBe('Hello-World');
    expect(pythonTitle('myAPP2go')).toBe('Myapp2Go');
    expect(pythonTitle("they're")).toBe("They'Re");
    expect(defaultDescription('my-app', { region: 'r', version: '1' })).toBe('My App ()');
  });

  it('writes subnet and image mappings per region, merging existing mappings', () => {
    const template = emptyTemplate({ Mappings: { Images: { 'eu-west-1': { Other: 'ami-0' } } } });
    runComponent(
      configuration,
      {
        ServerSubnets: { 'eu-central-1': ['subnet-a', 'subnet-b'] },
        LoadBalancerSubnets: { 'eu-central-1': ['subnet-c'] },
        LoadBalancerInternalSubnets: { 'eu-central-1': ['subnet-a'] },
        Images: { MyImage: { 'eu-central-1': 'ami-1', 'eu-west-1': 'ami-2' } },
      },
      { info, args },
      template,
    );
    expect(template.Mappings).toEqual({
      ServerSubnets: { 'eu-central-1': { Subnets: ['subnet-a', 'subnet-b'] } },
      LoadBalancerSubnets: { 'eu-central-1': { Subnets: ['subnet-c'] } },
      LoadBalancerInternalSubnets: { 'eu-central-1': { Subnets: ['subnet-a'] } },
      Images: { 'eu-central-1': { MyImage: 'ami-1' }, 'eu-west-1': { Other: 'ami-0', MyImage: 'ami-2' } },
    });
  });

  it('rejects an Images entry that is not a map of regions', () => {
    expect(() => runComponent(configuration, { Images: { MyImage: 'ami-1' } }, { info, args })).toThrow(
      /Images.MyImage must be a map of region to AMI id/,
    );
  });
});
