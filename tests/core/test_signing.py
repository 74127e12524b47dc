"""Office CA, signer certificates, PAdES signing and verification (no database)."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
import weasyprint
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.signing import (
    AlreadySigned,
    CaBundle,
    PdfSigningError,
    SignerBundle,
    WrongPassphrase,
    check_passphrase,
    create_office_ca,
    import_pkcs12,
    issue_signer_certificate,
    load_ca,
    pdfsign,
    sha256_hex,
    sign_pdf,
    verify_pdf,
)

CA_PASS = "frasa-ca-rahasia"
SIGNER_PASS = "sandi-kabid-123"
NIP_KABID = "197801012005011001"
NIP_KASI = "198503152010012002"

LETTER_HTML = """
<html><head><style>@page { size: A4; margin: 2cm }</style><title>Surat</title></head>
<body>
  <h3>PEMERINTAH KOTA PAGAR ALAM</h3>
  <p>Nomor: 500.15/001/Disnaker/2026</p>
  <p>Hal: Rekomendasi Pembuatan Paspor</p>
  <p>Yth. Kepala Kantor Imigrasi</p>
  <p>Dengan ini kami merekomendasikan pembuatan paspor atas nama Siti Aminah.</p>
</body></html>
"""


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def ca() -> CaBundle:
    return create_office_ca(
        "CA Bidang Tenaga Kerja Kota Pagar Alam", "Pemerintah Kota Pagar Alam", CA_PASS
    )


@pytest.fixture(scope="module")
def kabid(ca: CaBundle) -> SignerBundle:
    return issue_signer_certificate(
        ca,
        CA_PASS,
        name="Budi Santoso, S.H.",
        nip=NIP_KABID,
        position="Kepala Bidang Tenaga Kerja",
        organization="Pemerintah Kota Pagar Alam",
        email="budi@pagaralamkota.go.id",
        signer_passphrase=SIGNER_PASS,
    )


@pytest.fixture(scope="module")
def kasi(ca: CaBundle) -> SignerBundle:
    return issue_signer_certificate(
        ca,
        CA_PASS,
        name="Rina Marlina",
        nip=NIP_KASI,
        position="Kepala Seksi Penempatan",
        organization="Pemerintah Kota Pagar Alam",
        email=None,
        signer_passphrase="sandi-kasi",
    )


@pytest.fixture(scope="module")
def letter_pdf() -> bytes:
    return weasyprint.HTML(string=LETTER_HTML).write_pdf()


@pytest.fixture(scope="module")
def signed_pdf(letter_pdf: bytes, kabid: SignerBundle, ca: CaBundle) -> bytes:
    return sign_pdf(
        letter_pdf,
        kabid,
        SIGNER_PASS,
        reason="Penandatanganan surat rekomendasi",
        field_name="TTD_Kabid",
        visible_box=(350, 60, 550, 130),
        extra_certs=[ca.cert_pem],
    )


# --------------------------------------------------------------------------- PKI


def test_ca_and_signer_certificate(ca: CaBundle, kabid: SignerBundle) -> None:
    ca_cert = x509.load_pem_x509_certificate(ca.cert_pem)
    assert ca_cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert b"ENCRYPTED" in ca.key_pem_encrypted
    cert_back, _key = load_ca(ca, CA_PASS)
    assert cert_back == ca_cert

    cert = x509.load_pem_x509_certificate(kabid.cert_pem)
    assert cert.issuer == ca_cert.subject
    assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == NIP_KABID
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Budi Santoso, S.H."
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert kabid.subject_name == "Budi Santoso, S.H."
    assert kabid.serial_hex == format(cert.serial_number, "x")
    assert kabid.not_after == cert.not_valid_after_utc
    assert kabid.not_after > dt.datetime.now(dt.UTC) + dt.timedelta(days=3 * 365 - 2)

    # the PKCS#12 never holds a clear key: it needs the passphrase
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(kabid.pkcs12, None)
    key, p12_cert, chain = pkcs12.load_key_and_certificates(kabid.pkcs12, SIGNER_PASS.encode())
    assert key is not None and p12_cert == cert and ca_cert in chain


def test_wrong_passphrases_refused(ca: CaBundle, kabid: SignerBundle, letter_pdf: bytes) -> None:
    with pytest.raises(WrongPassphrase) as info:
        load_ca(ca, "salah")
    assert info.value.message == "Frasa sandi salah"
    assert isinstance(info.value, AppError)
    with pytest.raises(WrongPassphrase):
        issue_signer_certificate(
            ca, "salah", name="X", nip=NIP_KASI, position="Staf", organization="Pemkot",
            email=None, signer_passphrase="abc",
        )  # fmt: skip
    check_passphrase(kabid, SIGNER_PASS)
    with pytest.raises(WrongPassphrase):
        check_passphrase(kabid, "salah")
    with pytest.raises(WrongPassphrase):
        check_passphrase(kabid, "")
    with pytest.raises(WrongPassphrase):
        sign_pdf(letter_pdf, kabid, "salah", reason="Uji")
    with pytest.raises(WrongPassphrase):
        import_pkcs12(kabid.pkcs12, "salah")


def test_bad_signer_data_rejected(ca: CaBundle) -> None:
    with pytest.raises(ValidationError) as info:
        issue_signer_certificate(
            ca, CA_PASS, name=" ", nip="12345", position="Staf", organization="Pemkot",
            email="bukan-surel", signer_passphrase="",
        )  # fmt: skip
    assert set(info.value.errors) == {"name", "nip", "email", "signer_passphrase"}


# --------------------------------------------------------------------------- sign + verify


def test_sign_weasyprint_pdf_verifies_genuine(
    signed_pdf: bytes, letter_pdf: bytes, ca: CaBundle
) -> None:
    assert signed_pdf.startswith(letter_pdf)  # incremental update, original bytes kept
    result = verify_pdf(signed_pdf, [ca.cert_pem])
    assert result.status == "asli", result.message
    assert result.genuine
    assert result.signer_name == "Budi Santoso, S.H."
    assert result.signer_nip == NIP_KABID
    assert result.signed_at is not None
    assert abs(result.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert result.signed_revision_sha256 == sha256_hex(signed_pdf)
    assert "Budi Santoso" in result.message
    assert [s.field_name for s in result.signatures] == ["TTD_Kabid"]


def test_sha256_hex() -> None:
    assert sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def _flip(data: bytes, pos: int) -> bytes:
    return data[:pos] + bytes([data[pos] ^ 0x01]) + data[pos + 1 :]


def test_one_changed_byte_is_altered(signed_pdf: bytes, ca: CaBundle) -> None:
    # a byte of visible text metadata inside the signed range
    pos = signed_pdf.index(b"Surat")
    tampered = signed_pdf[:pos] + b"T" + signed_pdf[pos + 1 :]
    result = verify_pdf(tampered, [ca.cert_pem])
    assert result.status == "diubah", result.message
    assert result.message


@pytest.mark.parametrize("fraction", [0.0, 0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 0.999])
def test_changed_byte_anywhere_in_signed_range_is_altered(
    signed_pdf: bytes, ca: CaBundle, fraction: float
) -> None:
    """Whatever signed byte changes (header, xref, stream, signature dictionary)."""
    match = re.search(rb"/ByteRange \[ ?(\d+) (\d+) (\d+) (\d+)", signed_pdf)
    assert match is not None
    _, len1, start2, len2 = (int(v) for v in match.groups())
    signed_positions = [*range(0, len1), *range(start2, start2 + len2)]
    pos = signed_positions[int(fraction * (len(signed_positions) - 1))]
    result = verify_pdf(_flip(signed_pdf, pos), [ca.cert_pem])
    assert result.status == "diubah", (pos, result)
    assert result.message


def test_page_index_checked(letter_pdf: bytes, kabid: SignerBundle) -> None:
    with pytest.raises(PdfSigningError):
        sign_pdf(letter_pdf, kabid, SIGNER_PASS, reason="Uji", visible_box=(0, 0, 50, 50), page=3)
    with pytest.raises(PdfSigningError):
        sign_pdf(b"bukan pdf", kabid, SIGNER_PASS, reason="Uji")


def test_changed_signature_value_is_altered(signed_pdf: bytes, ca: CaBundle) -> None:
    # /Contents is outside the signed range, but its signature value (at the end of the
    # DER blob, before the zero padding) must still match
    start = signed_pdf.index(b"/Contents <") + len(b"/Contents <")
    end = signed_pdf.index(b">", start)
    der_end = start + len(signed_pdf[start:end].rstrip(b"0"))
    pos = der_end - 20
    other = b"0" if signed_pdf[pos : pos + 1] != b"0" else b"1"
    tampered = signed_pdf[:pos] + other + signed_pdf[pos + 1 :]
    assert verify_pdf(tampered, [ca.cert_pem]).status == "diubah"


def test_truncated_or_garbage_never_crashes(signed_pdf: bytes, ca: CaBundle) -> None:
    assert verify_pdf(signed_pdf[:-60], [ca.cert_pem]).status == "diubah"
    # cut before the signature dictionary: nothing shows it was ever signed
    assert verify_pdf(signed_pdf[: len(signed_pdf) // 3], [ca.cert_pem]).status in {
        "diubah",
        "tidak_dikenal",
    }
    assert verify_pdf(b"bukan pdf", [ca.cert_pem]).status == "tidak_dikenal"
    assert verify_pdf(b"", [ca.cert_pem]).status == "tidak_dikenal"
    assert verify_pdf(signed_pdf, [b"not a certificate"]).status == "tidak_dikenal"


def test_page_added_in_incremental_update_is_altered(signed_pdf: bytes, ca: CaBundle) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(signed_pdf))
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(v) for v in (0, 0, 595, 842)]
            ),
            generic.NameObject("/Resources"): generic.DictionaryObject(),
        }
    )
    writer.insert_page(page)
    out = BytesIO()
    writer.write(out)
    tampered = out.getvalue()
    assert tampered.startswith(signed_pdf)

    result = verify_pdf(tampered, [ca.cert_pem])
    assert result.status == "diubah", result.message
    # the hash of what was signed is still reported, for comparison with the stored one
    assert result.signed_revision_sha256 == sha256_hex(signed_pdf)


def test_pypdf_rewrite_is_altered(signed_pdf: bytes, ca: CaBundle) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(BytesIO(signed_pdf))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.add_blank_page()
    out = BytesIO()
    writer.write(out)
    assert verify_pdf(out.getvalue(), [ca.cert_pem]).status == "diubah"


def test_signed_by_other_ca_is_unknown(letter_pdf: bytes, ca: CaBundle) -> None:
    other_ca = create_office_ca("CA Palsu", "Bukan Pemkot", "lain")
    impostor = issue_signer_certificate(
        other_ca, "lain", name="Budi Santoso, S.H.", nip=NIP_KABID, position="Kepala Bidang",
        organization="Pemerintah Kota Pagar Alam", email=None, signer_passphrase="p",
    )  # fmt: skip
    signed = sign_pdf(letter_pdf, impostor, "p", reason="Uji", extra_certs=[other_ca.cert_pem])
    result = verify_pdf(signed, [ca.cert_pem])
    assert result.status == "tidak_dikenal", result.message
    assert verify_pdf(signed, [other_ca.cert_pem]).status == "asli"
    assert verify_pdf(signed, []).status == "tidak_dikenal"


def test_unsigned_pdf_is_unknown(letter_pdf: bytes, ca: CaBundle) -> None:
    result = verify_pdf(letter_pdf, [ca.cert_pem])
    assert result.status == "tidak_dikenal"
    assert result.signer_name is None and result.signed_revision_sha256 is None
    assert "tidak memiliki tanda tangan" in result.message


def test_same_field_twice_raises(signed_pdf: bytes, kabid: SignerBundle, letter_pdf: bytes) -> None:
    with pytest.raises(AlreadySigned):
        sign_pdf(signed_pdf, kabid, SIGNER_PASS, reason="Lagi", field_name="TTD_Kabid")
    # default field name is per certificate: the same signer cannot sign twice by accident
    once = sign_pdf(letter_pdf, kabid, SIGNER_PASS, reason="Uji")
    with pytest.raises(AlreadySigned):
        sign_pdf(once, kabid, SIGNER_PASS, reason="Uji")


def test_paraf_then_signature_both_genuine(
    letter_pdf: bytes, kasi: SignerBundle, kabid: SignerBundle, ca: CaBundle
) -> None:
    parafed = sign_pdf(
        letter_pdf, kasi, "sandi-kasi", reason="Paraf", field_name="Paraf_Kasi",
        visible_box=(40, 60, 200, 110), extra_certs=[ca.cert_pem],
    )  # fmt: skip
    assert verify_pdf(parafed, [ca.cert_pem]).status == "asli"
    signed = sign_pdf(
        parafed, kabid, SIGNER_PASS, reason="Disetujui", field_name="TTD_Kabid",
        visible_box=(350, 60, 550, 130), extra_certs=[ca.cert_pem],
    )  # fmt: skip
    result = verify_pdf(signed, [ca.cert_pem])
    assert result.status == "asli", result.message
    assert [s.status for s in result.signatures] == ["asli", "asli"]
    assert [s.signer_nip for s in result.signatures] == [NIP_KASI, NIP_KABID]
    assert result.signer_nip == NIP_KABID  # the last (final) signer
    assert result.signed_revision_sha256 == sha256_hex(signed)

    # a page slipped in between paraf and signature would be signed over by the Kabid,
    # but the paraf must then report the change
    writer = IncrementalPdfFileWriter(BytesIO(parafed))
    writer.insert_page(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Page"),
                generic.NameObject("/MediaBox"): generic.ArrayObject(
                    [generic.NumberObject(v) for v in (0, 0, 595, 842)]
                ),
            }
        )
    )
    buf = BytesIO()
    writer.write(buf)
    sneaky = sign_pdf(
        buf.getvalue(), kabid, SIGNER_PASS, reason="Disetujui", field_name="TTD_Kabid"
    )
    assert verify_pdf(sneaky, [ca.cert_pem]).status == "diubah"


# --------------------------------------------------------------------------- external PKCS#12


def _external_pkcs12(passphrase: bytes) -> tuple[bytes, bytes]:
    """A BSrE-like RSA root and signer, as a PKCS#12 made with ``cryptography``."""
    now = dt.datetime.now(dt.UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Root CA Uji (BSrE tiruan)")])
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, "Ahmad Fauzi"),
                    x509.NameAttribute(NameOID.SERIAL_NUMBER, "199001012015031001"),
                ]
            )
        )
        .issuer_name(root_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"ahmad", key, leaf, [root], serialization.BestAvailableEncryption(passphrase)
    )
    return p12, root.public_bytes(serialization.Encoding.PEM)


def test_external_pkcs12_signs_and_verifies(letter_pdf: bytes, ca: CaBundle) -> None:
    p12, root_pem = _external_pkcs12(b"eksternal")
    with pytest.raises(WrongPassphrase):
        import_pkcs12(p12, "salah")
    bundle = import_pkcs12(p12, "eksternal")
    assert bundle.subject_name == "Ahmad Fauzi"
    check_passphrase(bundle, "eksternal")

    signed = sign_pdf(letter_pdf, bundle, "eksternal", reason="Uji BSrE", extra_certs=[root_pem])
    result = verify_pdf(signed, [ca.cert_pem, root_pem])
    assert result.status == "asli", result.message
    assert result.signer_name == "Ahmad Fauzi"
    assert result.signer_nip == "199001012015031001"
    assert verify_pdf(signed, [ca.cert_pem]).status == "tidak_dikenal"


def test_garbage_pkcs12_is_rejected() -> None:
    with pytest.raises(AppError):
        import_pkcs12(b"bukan pkcs12", "apa saja")


# --------------------------------------------------------------------------- expiry


def _short_lived_signer(ca: CaBundle, not_after: dt.datetime) -> SignerBundle:
    ca_cert, ca_key = load_ca(ca, CA_PASS)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, "Pejabat Lama"),
                    x509.NameAttribute(NameOID.SERIAL_NUMBER, NIP_KASI),
                ]
            )
        )
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
        .not_valid_after(not_after)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"lama", key, cert, [ca_cert], serialization.BestAvailableEncryption(b"lama")
    )
    return import_pkcs12(p12, "lama")


def test_signed_with_expired_certificate_is_unknown(letter_pdf: bytes, ca: CaBundle) -> None:
    expired = _short_lived_signer(ca, dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    signed = sign_pdf(letter_pdf, expired, "lama", reason="Uji")
    assert verify_pdf(signed, [ca.cert_pem]).status == "tidak_dikenal"


def test_certificate_expired_after_signing_stays_genuine(
    letter_pdf: bytes, ca: CaBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = dt.datetime.now(dt.UTC)
    signer = _short_lived_signer(ca, now + dt.timedelta(days=30))
    signed = sign_pdf(letter_pdf, signer, "lama", reason="Uji")
    # verified 60 days later: the certificate has expired since, the letter stays genuine
    monkeypatch.setattr(pdfsign, "_utcnow", lambda: now + dt.timedelta(days=60))
    result = verify_pdf(signed, [ca.cert_pem])
    assert result.status == "asli", result.message
    assert "habis masa berlakunya" in result.message
