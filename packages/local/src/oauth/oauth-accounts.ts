/**
 * The people and service users of the local platform, all in team `myteam`. Their names and
 * passwords are documented (docs/zign.md, docs/stups-local.md): this is a test platform on loopback.
 */
export interface LocalAccount {
  uid: string;
  password: string;
  realm: '/employees' | '/services';
  team: string;
  name: string;
}

export const LOCAL_PERSON: LocalAccount = {
  uid: 'jdoe',
  password: 'jdoe-password',
  realm: '/employees',
  team: 'myteam',
  name: 'Jane Doe',
};

export const LOCAL_SERVICE_USER: LocalAccount = {
  uid: 'stups_myteam-robot',
  password: 'robot-password',
  realm: '/services',
  team: 'myteam',
  name: 'myteam robot',
};

export const LOCAL_ACCOUNTS: readonly LocalAccount[] = [LOCAL_PERSON, LOCAL_SERVICE_USER];

export function findLocalAccount(uid: string): LocalAccount | undefined {
  return LOCAL_ACCOUNTS.find((a) => a.uid === uid);
}

/** A constant-time-enough check for a test platform: the password of a known user. */
export function checkPassword(uid: string, password: string): LocalAccount | undefined {
  const account = findLocalAccount(uid);
  return account && account.password === password ? account : undefined;
}
