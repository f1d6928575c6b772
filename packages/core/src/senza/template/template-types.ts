/** JSON values as they appear in definitions and CloudFormation templates. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A CloudFormation template under construction. Components mutate it in place. */
export interface CfTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Mappings: { [name: string]: JsonObject };
  Parameters?: JsonObject;
  Resources: { [logicalId: string]: JsonObject };
  Outputs?: JsonObject;
  [key: string]: Json | undefined;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
