import type { AccountFacts, FactNeed } from '../template/account-facts.js';
import type { CfTemplate, Json, JsonObject } from '../template/template-types.js';
import { type ComponentContext, type ComponentType, configError } from './component.js';

/** Trust policy that lets EC2 instances assume the role. */
export function ec2AssumeRolePolicy(): JsonObject {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: ['ec2.amazonaws.com'] },
        Action: ['sts:AssumeRole'],
      },
    ],
  };
}

/** The inline policies of existing roles, in role order, as `{PolicyName, PolicyDocument}`. */
export function mergedPolicies(roles: string[], facts: AccountFacts): Json[] {
  return roles.flatMap((role) =>
    facts.rolePolicies(role).map((p) => ({ PolicyName: p.PolicyName, PolicyDocument: p.PolicyDocument as Json })),
  );
}

function roleNames(config: JsonObject, ctx: { path: (string | number)[] }): string[] {
  const value = config.MergePoliciesFromIamRoles;
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((role, i) => {
    if (typeof role !== 'string') {
      throw configError(
        ctx,
        ['MergePoliciesFromIamRoles', i],
        'MergePoliciesFromIamRoles must list names of existing IAM roles',
        'e.g. MergePoliciesFromIamRoles: [my-existing-role]',
      );
    }
    return role;
  });
}

export const iamRole: ComponentType = {
  type: 'Senza::IamRole',
  needs(config: JsonObject): FactNeed[] {
    const roles = Array.isArray(config.MergePoliciesFromIamRoles)
      ? config.MergePoliciesFromIamRoles.filter((r): r is string => typeof r === 'string')
      : typeof config.MergePoliciesFromIamRoles === 'string'
        ? [config.MergePoliciesFromIamRoles]
        : [];
    return roles.length > 0 ? [{ kind: 'rolePolicies', roles }] : [];
  },
  apply(template: CfTemplate, config: JsonObject, ctx: ComponentContext): void {
    const own = config.Policies ?? [];
    if (!Array.isArray(own)) {
      throw configError(
        ctx,
        'Policies',
        'Policies must be a list of inline policies',
        'e.g. Policies: [{PolicyName: ..., PolicyDocument: ...}]',
      );
    }
    template.Resources[ctx.name] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: config.AssumeRolePolicyDocument ?? ec2AssumeRolePolicy(),
        Path: config.Path ?? '/',
        Policies: [...own, ...mergedPolicies(roleNames(config, ctx), ctx.facts)],
      },
    };
  },
};
