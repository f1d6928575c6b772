import { describe, expect, it } from 'vitest';
import { EXIT, UsageError } from '../../errors.js';
import { DEFAULT_TAUPAGE_OWNERS, taupageOwnersFrom } from './taupage-owners.js';

describe('taupageOwnersFrom', () => {
  it('defaults to the account itself', () => {
    expect(DEFAULT_TAUPAGE_OWNERS).toEqual(['self']);
    expect(taupageOwnersFrom({})).toEqual(['self']);
    expect(taupageOwnersFrom({ taupage_owners: ' ' })).toEqual(['self']);
  });

  it('reads SENZA_TAUPAGE_OWNERS (taupage_owners) before `senza config taupage.owners`', () => {
    expect(taupageOwnersFrom({ taupage: { owners: 'self, 123456789012' } })).toEqual(['self', '123456789012']);
    expect(taupageOwnersFrom({ taupage: { owners: ['123456789012', 'amazon'] } })).toEqual(['123456789012', 'amazon']);
    expect(
      taupageOwnersFrom({ taupage_owners: '111122223333,self,111122223333', taupage: { owners: 'amazon' } }),
    ).toEqual(['111122223333', 'self']);
  });

  it('refuses what is not an account id, self or amazon', () => {
    try {
      taupageOwnersFrom({ taupage_owners: 'self,12345,everyone' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).code).toBe('senza.taupage-owners-invalid');
      expect((e as UsageError).exitCode).toBe(EXIT.USAGE);
      expect((e as Error).message).toBe('Invalid Taupage AMI owner "12345", "everyone"');
    }
  });
});
