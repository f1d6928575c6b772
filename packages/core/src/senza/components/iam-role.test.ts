import { describe, expect, it } from 'vitest';
import { iamRole } from './iam-role.js';
import { runComponent } from './test-context.js';

const facts = {
  rolePolicies: {
    OtherRole: [{ PolicyName: 'pol1', PolicyDocument: { foo: 'bar' } }],
    ThirdRole: [{ PolicyName: 'pol2', PolicyDocument: { Version: '2012-10-17', Statement: [] } }],
  },
};

describe('Senza::IamRole', () => {
  it('generates an EC2 role named after the component', () => {
    const { template, needs } = runComponent(iamRole, {}, { name: 'MyRole', facts });
    expect(needs).toEqual([]);
    expect(template.Resources.MyRole).toEqual({
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
        },
        Path: '/',
        Policies: [],
      },
    });
  });

  it('upstream test_component_iam_role: merges the inline policies of existing roles', () => {
    const { template, needs } = runComponent(
      iamRole,
      { MergePoliciesFromIamRoles: ['OtherRole'] },
      { name: 'MyRole', facts },
    );
    expect(needs).toEqual([{ kind: 'rolePolicies', roles: ['OtherRole'] }]);
    expect((template.Resources.MyRole.Properties as { Policies: unknown }).Policies).toEqual([
      { PolicyName: 'pol1', PolicyDocument: { foo: 'bar' } },
    ]);
  });

  it('puts its own policies first and takes a custom trust policy and path', () => {
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] } }],
    };
    const own = { PolicyName: 'own', PolicyDocument: { Statement: [] } };
    const { template } = runComponent(
      iamRole,
      {
        AssumeRolePolicyDocument: trust,
        Path: '/app/',
        Policies: [own],
        MergePoliciesFromIamRoles: ['OtherRole', 'ThirdRole'],
      },
      { name: 'R', facts },
    );
    expect(template.Resources.R.Properties).toEqual({
      AssumeRolePolicyDocument: trust,
      Path: '/app/',
      Policies: [
        own,
        { PolicyName: 'pol1', PolicyDocument: { foo: 'bar' } },
        { PolicyName: 'pol2', PolicyDocument: { Version: '2012-10-17', Statement: [] } },
      ],
    });
  });

  it('rejects a non-name in MergePoliciesFromIamRoles', () => {
    expect(() => runComponent(iamRole, { MergePoliciesFromIamRoles: [{ Ref: 'X' }] }, { name: 'R', facts })).toThrow(
      'MergePoliciesFromIamRoles must list names of existing IAM roles',
    );
  });
});
