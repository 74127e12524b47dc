"""Electronic signatures: the office CA, signer certificates, PAdES signing and checking.

Pure cryptography on bytes and dataclasses — no database, no network, no Qt.
"""

from desktop_app.core.signing.pdfsign import (
    AlreadySigned,
    PdfSigningError,
    SignatureInfo,
    VerificationResult,
    default_field_name,
    sha256_hex,
    sign_pdf,
    verify_pdf,
)
from desktop_app.core.signing.pki import (
    CaBundle,
    CertificateError,
    SignerBundle,
    WrongPassphrase,
    check_passphrase,
    create_office_ca,
    import_pkcs12,
    issue_signer_certificate,
    load_ca,
    load_certificates,
)

__all__ = [
    "AlreadySigned",
    "CaBundle",
    "CertificateError",
    "PdfSigningError",
    "SignatureInfo",
    "SignerBundle",
    "VerificationResult",
    "WrongPassphrase",
    "check_passphrase",
    "create_office_ca",
    "default_field_name",
    "import_pkcs12",
    "issue_signer_certificate",
    "load_ca",
    "load_certificates",
    "sha256_hex",
    "sign_pdf",
    "verify_pdf",
]
