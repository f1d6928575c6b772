import type { Correction } from '../correction.js';

/** What ListCertificates returns without `Includes.keyTypes` (API_Filters, "keyTypes"). */
export const ACM_DEFAULT_KEY_TYPES = ['RSA_1024', 'RSA_2048'];

/**
 * ACM ListCertificates without `Includes.keyTypes`: "Default filtering returns only RSA_1024 and RSA_2048
 * certificates" (https://docs.aws.amazon.com/acm/latest/APIReference/API_Filters.html); moto returns every
 * certificate, so a client that forgets the key types would still see ECDSA and RSA 3072/4096 ones here.
 * The request gets AWS's default filter; moto applies it.
 */
export const acmKeyTypes: Correction = {
  name: 'acm-key-types',
  async handle(req, next) {
    if (req.service !== 'acm' || req.operation !== 'ListCertificates') return next(req);
    let input: { Includes?: { keyTypes?: string[] } & Record<string, unknown> } & Record<string, unknown>;
    try {
      input = JSON.parse(req.body.length > 0 ? req.body.toString('utf8') : '{}');
    } catch {
      return next(req); // moto answers a broken body itself
    }
    if (!input || typeof input !== 'object' || (input.Includes?.keyTypes?.length ?? 0) > 0) return next(req);
    const body = Buffer.from(
      JSON.stringify({ ...input, Includes: { ...(input.Includes ?? {}), keyTypes: ACM_DEFAULT_KEY_TYPES } }),
    );
    return next({ ...req, body });
  },
};
