"""moto fidelity patch of ACM's ListCertificates (stups-local; see docs/stups-local.md).

AWS answers ListCertificates with CertificateSummary structures
(https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateSummary.html): among them
`SubjectAlternativeNameSummaries`, "only the first 100 subject alternative names", and
`HasAdditionalSubjectAlternativeNames`, true when there are more (then DescribeCertificate has them
all). moto 5.2.1 answers with its DescribeCertificate structure instead: `SubjectAlternativeNames`,
which no SDK reads from a summary, and describe-only members (Issuer, Serial, Subject, Options, ...).
A client that trusts the summaries, as it may on AWS, therefore saw no names at all here. Each summary
is rebuilt as AWS's: the members CertificateSummary has, and the names as AWS lists them.
"""

# The members of CertificateSummary (API_CertificateSummary.html); anything else is describe-only.
SUMMARY_MEMBERS = frozenset(
    [
        "CertificateArn",
        "CertificateKeyPairOrigin",
        "CreatedAt",
        "DomainName",
        "ExportOption",
        "Exported",
        "ExtendedKeyUsages",
        "HasAdditionalSubjectAlternativeNames",
        "ImportedAt",
        "InUse",
        "IssuedAt",
        "KeyAlgorithm",
        "KeyUsages",
        "ManagedBy",
        "NotAfter",
        "NotBefore",
        "RenewalEligibility",
        "RevokedAt",
        "Status",
        "SubjectAlternativeNameSummaries",
        "Type",
    ]
)
SUMMARY_NAMES_LIMIT = 100


def summary_of(described):
    """A CertificateSummary from moto's summary (its DescribeCertificate structure)."""
    names = list(described.get("SubjectAlternativeNames") or [])
    summary = {k: v for k, v in described.items() if k in SUMMARY_MEMBERS}
    summary["SubjectAlternativeNameSummaries"] = names[:SUMMARY_NAMES_LIMIT]
    summary["HasAdditionalSubjectAlternativeNames"] = len(names) > SUMMARY_NAMES_LIMIT
    return summary


def patch_acm_responses(module):
    import json

    responses = module.AWSCertificateManagerResponse
    original = responses.list_certificates

    def list_certificates(self):
        body = original(self)
        try:
            result = json.loads(body)
        except (TypeError, ValueError):
            return body
        summaries = result.get("CertificateSummaryList")
        if not isinstance(summaries, list):
            return body
        result["CertificateSummaryList"] = [summary_of(s) if isinstance(s, dict) else s for s in summaries]
        return json.dumps(result)

    responses.list_certificates = list_certificates


PATCHES = {"moto.acm.responses": patch_acm_responses}
