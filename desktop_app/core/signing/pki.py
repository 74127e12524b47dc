"""Office certificate authority, signer certificates and PKCS#12 handling.

Everything goes in and out as bytes and frozen dataclasses; nothing here touches a
database or the network.

Key type: **EC P-256** (ECDSA with SHA-256) for the office CA and for every signer the
office issues.  Measured with cryptography 48 / pyHanko 0.38: loading an RSA-2048 key
costs about 27 ms (OpenSSL validates the key on every load, and pyHanko reloads the key
for each signature), against well under 1 ms for P-256; P-256 key generation is also
~150x faster.  Certificates imported from outside (e.g. BSrE, usually RSA) are accepted
whatever their key type.

Private keys never leave this module in the clear:

* the CA key is stored as PKCS#8 PEM encrypted with the CA passphrase;
* a signer's key lives only inside a PKCS#12 (PBES2, AES-256-CBC, PBKDF2-HMAC-SHA256,
  :data:`PKCS12_KDF_ROUNDS` iterations, SHA-256 MAC) protected by the signer passphrase.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    PrivateKeyTypes,
)
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from desktop_app.core.errors import AppError, ValidationError

__all__ = [
    "PKCS12_KDF_ROUNDS",
    "CaBundle",
    "CertificateError",
    "SignerBundle",
    "WrongPassphrase",
    "check_passphrase",
    "create_office_ca",
    "import_pkcs12",
    "issue_signer_certificate",
    "load_ca",
    "load_certificates",
]

PKCS12_KDF_ROUNDS = 100_000
"""PBKDF2 iterations protecting a signer's PKCS#12 (~20 ms per unlock on a laptop)."""

_NIP_RE = re.compile(r"^\d{18}$")
_CLOCK_SKEW = dt.timedelta(minutes=5)


class WrongPassphrase(AppError):
    """The passphrase does not open the key."""

    def __init__(self, message: str = "Frasa sandi salah") -> None:
        super().__init__(message)


class CertificateError(AppError):
    """A certificate or PKCS#12 file cannot be read or is not usable for signing."""


@dataclass(frozen=True)
class CaBundle:
    """The office certificate authority: certificate and passphrase-encrypted key (PEM)."""

    cert_pem: bytes
    key_pem_encrypted: bytes


@dataclass(frozen=True)
class SignerBundle:
    """A signer's certificate and key.

    ``pkcs12`` holds the key, the certificate and its issuing chain, protected by the
    signer's passphrase; the other fields are read from the certificate for display.
    ``subject_name`` is the certificate's common name (the person's name).
    """

    pkcs12: bytes
    cert_pem: bytes
    subject_name: str
    serial_hex: str
    not_after: dt.datetime


# --------------------------------------------------------------------------- helpers


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _add_years(moment: dt.datetime, years: int) -> dt.datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _passphrase_bytes(passphrase: str, field: str = "passphrase") -> bytes:
    if not isinstance(passphrase, str) or not passphrase:
        raise ValidationError({field: "Frasa sandi tidak boleh kosong"})
    return passphrase.encode("utf-8")


def _require_text(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: f"{label} wajib diisi"})
    return text


def _pkcs12_encryption(passphrase: bytes) -> serialization.KeySerializationEncryption:
    return (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(PKCS12_KDF_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(passphrase)
    )


def _common_name(cert: x509.Certificate) -> str:
    attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if attrs:
        return str(attrs[0].value)
    return cert.subject.rfc4514_string()


def load_certificates(data: bytes | Iterable[bytes]) -> list[x509.Certificate]:
    """Read certificates from PEM (one or more blocks) or DER bytes, or a list of those."""
    blobs = [data] if isinstance(data, bytes | bytearray) else list(data)
    certs: list[x509.Certificate] = []
    for blob in blobs:
        raw = bytes(blob)
        try:
            if b"-----BEGIN" in raw:
                certs.extend(x509.load_pem_x509_certificates(raw))
            else:
                certs.append(x509.load_der_x509_certificate(raw))
        except ValueError as exc:
            raise CertificateError("Sertifikat tidak dapat dibaca") from exc
    return certs


def _signer_bundle(
    key: PrivateKeyTypes,
    cert: x509.Certificate,
    chain: list[x509.Certificate],
    passphrase: bytes,
) -> SignerBundle:
    p12 = pkcs12.serialize_key_and_certificates(
        name=_common_name(cert).encode("utf-8"),
        key=key,  # type: ignore[arg-type]
        cert=cert,
        cas=chain or None,
        encryption_algorithm=_pkcs12_encryption(passphrase),
    )
    return SignerBundle(
        pkcs12=p12,
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        subject_name=_common_name(cert),
        serial_hex=format(cert.serial_number, "x"),
        not_after=cert.not_valid_after_utc,
    )


def _open_pkcs12(
    data: bytes, passphrase: str
) -> tuple[PrivateKeyTypes, x509.Certificate, list[x509.Certificate]]:
    """Decrypt a PKCS#12; wrong passphrase -> WrongPassphrase, bad file -> CertificateError."""
    pw = passphrase.encode("utf-8") if passphrase else None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, pw)
    except ValueError as exc:
        # cryptography does not tell a wrong password apart from a corrupt file; a file
        # that cannot even be parsed as PKCS#12 fails the same way without a password.
        if _looks_like_pkcs12(data):
            raise WrongPassphrase() from exc
        raise CertificateError("Berkas sertifikat (PKCS#12) tidak dapat dibaca") from exc
    except TypeError as exc:
        raise WrongPassphrase() from exc
    if key is None or cert is None:
        raise CertificateError(
            "Berkas PKCS#12 tidak berisi kunci privat dan sertifikat penandatangan"
        )
    return key, cert, list(extra)


def _same_public_key(key: PrivateKeyTypes, cert: x509.Certificate) -> bool:
    enc, fmt = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    return key.public_key().public_bytes(enc, fmt) == cert.public_key().public_bytes(enc, fmt)


def _looks_like_pkcs12(data: bytes) -> bool:
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data)
        pfx["auth_safe"]["content_type"].native  # noqa: B018 - forces parsing
    except Exception:  # noqa: BLE001 - any parse failure means "not PKCS#12"
        return False
    return True


# --------------------------------------------------------------------------- CA


def create_office_ca(
    common_name: str, organization: str, passphrase: str, valid_years: int = 10
) -> CaBundle:
    """Create the office's own root certificate authority (EC P-256, self-signed)."""
    cn = _require_text(common_name, "common_name", "Nama CA")
    org = _require_text(organization, "organization", "Nama instansi")
    pw = _passphrase_bytes(passphrase)
    if valid_years < 1:
        raise ValidationError({"valid_years": "Masa berlaku minimal 1 tahun"})

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )
    now = _now()
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(_add_years(now, valid_years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return CaBundle(
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        key_pem_encrypted=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(pw),
        ),
    )


def load_ca(
    bundle: CaBundle, passphrase: str
) -> tuple[x509.Certificate, CertificateIssuerPrivateKeyTypes]:
    """Decrypt the CA key. Raises :class:`WrongPassphrase` when the passphrase is wrong."""
    try:
        cert = x509.load_pem_x509_certificate(bundle.cert_pem)
    except ValueError as exc:
        raise CertificateError("Sertifikat CA tidak dapat dibaca") from exc
    if not passphrase:
        raise WrongPassphrase()
    try:
        key = serialization.load_pem_private_key(
            bundle.key_pem_encrypted, password=passphrase.encode("utf-8")
        )
    except (ValueError, TypeError) as exc:
        raise WrongPassphrase() from exc
    if not _same_public_key(key, cert):
        raise CertificateError("Kunci CA tidak cocok dengan sertifikatnya")
    return cert, key  # type: ignore[return-value]


# --------------------------------------------------------------------------- signers


def issue_signer_certificate(
    ca: CaBundle,
    ca_passphrase: str,
    *,
    name: str,
    nip: str,
    position: str,
    organization: str,
    email: str | None,
    signer_passphrase: str,
    valid_years: int = 3,
) -> SignerBundle:
    """Issue a signing certificate for one official, signed by the office CA.

    The subject carries CN=name, serialNumber=NIP, title=position, O=organization, C=ID;
    the e-mail, if any, goes in the subjectAltName.  Key usage: digitalSignature +
    nonRepudiation.  The validity never exceeds the CA's.
    """
    errors: dict[str, str] = {}
    name_s = (name or "").strip()
    nip_s = (nip or "").replace(" ", "").strip()
    position_s = (position or "").strip()
    org_s = (organization or "").strip()
    if not name_s:
        errors["name"] = "Nama wajib diisi"
    if not _NIP_RE.match(nip_s):
        errors["nip"] = "NIP harus 18 digit angka"
    if not position_s:
        errors["position"] = "Jabatan wajib diisi"
    if not org_s:
        errors["organization"] = "Nama instansi wajib diisi"
    if not signer_passphrase:
        errors["signer_passphrase"] = "Frasa sandi tidak boleh kosong"
    if valid_years < 1:
        errors["valid_years"] = "Masa berlaku minimal 1 tahun"
    if email is not None and email.strip() and "@" not in email:
        errors["email"] = "Alamat surel tidak valid"
    if errors:
        raise ValidationError(errors)

    ca_cert, ca_key = load_ca(ca, ca_passphrase)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org_s),
            x509.NameAttribute(NameOID.TITLE, position_s),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, nip_s),
            x509.NameAttribute(NameOID.COMMON_NAME, name_s),
        ]
    )
    now = _now()
    not_after = min(_add_years(now, valid_years), ca_cert.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # a.k.a. nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    if email and email.strip():
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email.strip())]), critical=False
        )
    cert = builder.sign(ca_key, hashes.SHA256())
    return _signer_bundle(key, cert, [ca_cert], signer_passphrase.encode("utf-8"))


def import_pkcs12(data: bytes, passphrase: str) -> SignerBundle:
    """Take in a signer's PKCS#12 made elsewhere (e.g. BSrE).

    The passphrase is checked, the certificate must allow signing (digitalSignature or
    nonRepudiation) and the key must match it.  The key, certificate and chain are
    re-packed in this program's PKCS#12 format under the *same* passphrase, so the stored
    bytes differ from the file given but open with the same passphrase.
    """
    key, cert, chain = _open_pkcs12(data, passphrase)
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            raise CertificateError("Sertifikat ini tidak diizinkan untuk tanda tangan")
    except x509.ExtensionNotFound:
        pass
    if not _same_public_key(key, cert):
        raise CertificateError("Kunci privat tidak cocok dengan sertifikat")
    return _signer_bundle(key, cert, chain, passphrase.encode("utf-8"))


def check_passphrase(bundle: SignerBundle, passphrase: str) -> None:
    """Raise :class:`WrongPassphrase` unless ``passphrase`` opens the signer's key."""
    if not passphrase:
        raise WrongPassphrase()
    _open_pkcs12(bundle.pkcs12, passphrase)


# --------------------------------------------------------------------------- revocation

REVOCATION_REASONS: dict[str, tuple[str, x509.ReasonFlags]] = {
    "kunci_bocor": ("Kunci atau frasa sandi bocor / perangkat hilang",
                    x509.ReasonFlags.key_compromise),
    "berhenti": ("Pejabat berhenti, pensiun atau pindah tugas",
                 x509.ReasonFlags.affiliation_changed),
    "diganti": ("Sertifikat diganti dengan yang baru", x509.ReasonFlags.superseded),
    "tidak_dipakai": ("Tidak dipakai lagi", x509.ReasonFlags.cessation_of_operation),
    "lainnya": ("Alasan lain", x509.ReasonFlags.unspecified),
}
"""Revocation reasons offered to the administrator: code -> (label, RFC 5280 reason)."""


@dataclass(frozen=True)
class RevokedEntry:
    """One certificate on a revocation list."""

    serial_hex: str
    revoked_at: dt.datetime  # timezone-aware
    reason: str  # a key of REVOCATION_REASONS


def build_crl(
    ca: CaBundle,
    ca_passphrase: str,
    revoked: Iterable[RevokedEntry],
    *,
    number: int,
    this_update: dt.datetime,
    next_update: dt.datetime,
) -> bytes:
    """A CRL (DER) signed by the office CA listing ``revoked``.

    Raises :class:`WrongPassphrase` when the CA passphrase is wrong.
    """
    ca_cert, ca_key = load_ca(ca, ca_passphrase)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    for entry in revoked:
        flag = REVOCATION_REASONS.get(entry.reason, REVOCATION_REASONS["lainnya"])[1]
        item = (
            x509.RevokedCertificateBuilder()
            .serial_number(int(entry.serial_hex, 16))
            .revocation_date(entry.revoked_at)
        )
        if flag is not x509.ReasonFlags.unspecified:
            item = item.add_extension(x509.CRLReason(flag), critical=False)
        builder = builder.add_revoked_certificate(item.build())
    crl = builder.sign(ca_key, hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.DER)
