/**
 * Imported first by every CLI that uses the AWS SDK. We support and test Node.js 20.19+ and 24 (22.12+
 * too; package.json's engines). The AWS SDK prints a NodeVersionSupportWarning on Node < 22 on every run
 * (its releases after January 2027 will need Node 22): nothing a user of a supported Node can act on, so
 * the SDK's own documented switch turns that one notice off, unless the user set the switch themselves.
 * Every other warning stays.
 */
export const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major === 20 && minor >= 19) process.env[SDK_NODE_WARNING_SWITCH] ??= 'true';
