"""PAdES signing and verification of PDF documents (pyHanko), offline only.

``sign_pdf`` appends a PAdES baseline-B signature (ETSI.CAdES.detached, SHA-256) in an
incremental update: no timestamp server, no revocation fetching; the signer's
certificate chain is embedded so any PDF reader that trusts the office CA (or BSrE)
can check it.

``verify_pdf`` answers the question a clerk asks — is this letter genuine? — with one
of three words:

* ``asli``: every signature is intact, cryptographically valid, chains to one of the
  given trust roots, and nothing but harmless updates (more signatures, validation
  data) was appended after it; after the *last* signature only LTA-type updates
  (validation data, document timestamps) are tolerated;
* ``diubah``: some signed byte changed, the file is damaged, or content was added after
  a signature (a page, an annotation, a rewritten object...);
* ``tidak_dikenal``: no signature, or signed by a certificate that does not chain to a
  trusted root.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import KeyUsageConstraints, validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from desktop_app.core.errors import AppError
from desktop_app.core.office_time import as_office_aware, office_tz, zone_label
from desktop_app.core.signing.pki import (
    SignerBundle,
    WrongPassphrase,
    _open_pkcs12,
    load_certificates,
)

__all__ = [
    "AlreadySigned",
    "PdfSigningError",
    "SignatureInfo",
    "VerificationResult",
    "default_field_name",
    "sha256_hex",
    "sign_pdf",
    "verify_pdf",
]

log = logging.getLogger(__name__)
# pyHanko logs validation failures with their tracebacks; with no logging configured Python
# would print them to stderr. They go to the program's log handlers (propagation), never to
# a clerk's console: a handler here stops the last-resort stderr printer.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())

STATUS_GENUINE = "asli"
STATUS_ALTERED = "diubah"
STATUS_UNKNOWN = "tidak_dikenal"

_MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

# A signature made with either key usage is accepted (BSrE certificates carry both;
# some foreign ones only digitalSignature).
_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)
_STAMP_STYLE = TextStampStyle(
    stamp_text="Ditandatangani secara elektronik oleh:\n%(signer)s\n%(nip_line)s%(waktu)s",
    border_width=1,
)


class AlreadySigned(AppError):
    """The document already carries a signature in this signature field."""


class PdfSigningError(AppError):
    """The PDF could not be signed (unreadable file, bad page number, ...)."""


@dataclass(frozen=True)
class SignatureInfo:
    """One signature found in a document, as ``verify_pdf`` judged it."""

    field_name: str
    status: str
    signer_name: str | None
    signer_nip: str | None
    signed_at: dt.datetime | None
    message: str
    modification_level: str | None = None  # pyHanko's ModificationLevel name, when judged


@dataclass(frozen=True)
class VerificationResult:
    """Outcome of :func:`verify_pdf`.

    ``status`` is ``"asli"`` (genuine), ``"diubah"`` (altered) or ``"tidak_dikenal"``
    (unknown).  The signer fields describe the *last* signature (the final signer after
    any paraf); ``signatures`` lists every signature in signing order.
    ``signed_revision_sha256`` is the SHA-256 of the bytes covered by the last
    signature's revision, which equals the hash stored when the program signed it.
    """

    status: str
    signer_name: str | None
    signer_nip: str | None
    signed_at: dt.datetime | None
    message: str
    signed_revision_sha256: str | None
    signatures: tuple[SignatureInfo, ...] = ()
    # What was added after the last signature: None (nothing, or validation data only),
    # "pembaruan" (an incremental update, e.g. metadata) or "tambahan" (bytes appended).
    changed_after_signing: str | None = None

    @property
    def genuine(self) -> bool:
        return self.status == STATUS_GENUINE


def _utcnow() -> dt.datetime:
    """Current time for validation (a seam for tests)."""
    return dt.datetime.now(dt.UTC)


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def default_field_name(signer: SignerBundle) -> str:
    """Signature field used when none is given: one per signer certificate."""
    return f"TTD_{signer.serial_hex[:16].upper()}"


# --------------------------------------------------------------------------- helpers


def _format_wib(moment: dt.datetime) -> str:
    local = moment.astimezone(office_tz())
    return (f"{local.day} {_MONTHS[local.month - 1]} {local.year} {local:%H.%M} "
            f"{zone_label()}")


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    attrs = name.get_attributes_for_oid(oid)
    return str(attrs[0].value) if attrs else None


def _cert_identity(cert: asn1_x509.Certificate) -> tuple[str | None, str | None]:
    """(common name, serialNumber attribute i.e. NIP) of a certificate's subject."""
    try:
        pyca = x509.load_der_x509_certificate(cert.dump())
    except ValueError:
        return None, None
    return (
        _name_attr(pyca.subject, NameOID.COMMON_NAME),
        _name_attr(pyca.subject, NameOID.SERIAL_NUMBER),
    )


def _to_asn1(certs: Iterable[x509.Certificate]) -> list[asn1_x509.Certificate]:
    return [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in certs]


def _existing_field(reader: PdfFileReader, name: str) -> tuple[bool, bool]:
    """(field exists, field is signed)."""
    try:
        for fq_name, value, _ref in fields.enumerate_sig_fields(reader, with_name=name):
            if fq_name == name:
                return True, value is not None
    except (PdfError, KeyError, ValueError, TypeError) as exc:
        raise PdfSigningError("Struktur formulir PDF tidak dapat dibaca") from exc
    return False, False


# --------------------------------------------------------------------------- signing


def sign_pdf(
    pdf: bytes,
    signer: SignerBundle,
    passphrase: str,
    *,
    reason: str,
    location: str = "Pagar Alam",
    field_name: str | None = None,
    contact: str | None = None,
    visible_box: tuple[int, int, int, int] | None = None,
    page: int = 0,
    extra_certs: Sequence[bytes] = (),
    signing_time: dt.datetime | None = None,
    ltv_crls: Sequence[bytes] | None = None,
) -> bytes:
    """Sign ``pdf`` with the signer's key and return the signed PDF (incremental update).

    ``field_name`` defaults to :func:`default_field_name` (one field per certificate);
    a field that is already signed raises :class:`AlreadySigned`.  An existing empty
    field of that name is filled; otherwise a new field is created — invisible, or with
    a text stamp in ``visible_box`` (x1, y1, x2, y2 in PDF points, origin bottom-left)
    on ``page`` (0-based; -1 = last page).  ``extra_certs`` (PEM or DER) are embedded
    along with the chain stored in the signer's PKCS#12, normally the CA certificate.

    ``signing_time`` (aware, or naive office-local) is the time written in the stamp and in
    the signature (CMS signingTime); default: this PC's clock. With ``ltv_crls`` (DER CRLs,
    may be empty) the letter is made PAdES B-LT: a document security store (DSS) with the
    signer's certificate chain and those CRLs is appended (see :func:`add_validation_info`).

    Raises :class:`WrongPassphrase`, :class:`AlreadySigned` or
    :class:`PdfSigningError`.
    """
    if not passphrase:
        raise WrongPassphrase()
    key, cert, chain = _open_pkcs12(signer.pkcs12, passphrase)
    others = list(chain)
    if extra_certs:
        others += load_certificates(list(extra_certs))

    name = (field_name or default_field_name(signer)).strip()
    if not name or "." in name:
        raise PdfSigningError("Nama kolom tanda tangan tidak valid")

    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
    except Exception as exc:  # noqa: BLE001 - the parser raises many types on bad input
        raise PdfSigningError("Berkas PDF tidak dapat dibaca untuk ditandatangani") from exc

    exists, signed = _existing_field(writer.prev, name)
    if signed:
        raise AlreadySigned(f"Dokumen ini sudah ditandatangani pada kolom '{name}'")

    cert_name, nip = _cert_identity(
        asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    )
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    store = SimpleCertificateStore()
    store.register_multiple(_to_asn1(others))
    simple_signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=store,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        reason=reason or None,
        location=location or None,
        contact_info=contact or None,
        name=cert_name or signer.subject_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    new_field_spec = None
    if not exists:
        try:
            page_count = int(writer.root["/Pages"]["/Count"])
        except (KeyError, TypeError, ValueError) as exc:
            raise PdfSigningError("Jumlah halaman PDF tidak dapat dibaca") from exc
        if page < 0:
            page = page_count + page
        if not 0 <= page < page_count:
            raise PdfSigningError(
                f"Halaman tanda tangan tidak ada: dokumen hanya {page_count} halaman"
            )
        new_field_spec = fields.SigFieldSpec(
            sig_field_name=name,
            on_page=page,
            box=tuple(int(v) for v in visible_box) if visible_box else None,  # type: ignore[arg-type]
        )
    moment = _aware(signing_time) if signing_time is not None else dt.datetime.now(dt.UTC)
    pdf_signer = _TimedPdfSigner(
        moment,
        meta,
        signer=simple_signer,
        stamp_style=_STAMP_STYLE,
        new_field_spec=new_field_spec,
    )
    text_params = {
        "nip_line": f"NIP {nip}\n" if nip else "",
        "waktu": _format_wib(moment),
    }
    try:
        out = pdf_signer.sign_pdf(writer, appearance_text_params=text_params)
    except SigningError as exc:
        if "already" in str(exc).lower() and "fill" in str(exc).lower():
            raise AlreadySigned(f"Dokumen ini sudah ditandatangani pada kolom '{name}'") from exc
        raise PdfSigningError(f"Dokumen gagal ditandatangani: {exc}") from exc
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise PdfSigningError(f"Dokumen gagal ditandatangani: {exc}") from exc
    if ltv_crls is None:
        return out.getvalue()
    return add_validation_info(out.getvalue(), [cert, *others], ltv_crls)


class _TimedPdfSigner(signers.PdfSigner):
    """A PdfSigner whose signing time is given (the trusted time), not the PC's clock."""

    def __init__(self, moment: dt.datetime, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._moment = moment

    def init_signing_session(self, pdf_out, existing_fields_only=False):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._moment
        return session


def _aware(moment: dt.datetime) -> dt.datetime:
    return as_office_aware(moment)


def add_validation_info(pdf: bytes, certs: Sequence[x509.Certificate],
                        crls: Sequence[bytes]) -> bytes:
    """Append a DSS (PAdES B-LT validation material) in an incremental update: the given
    certificates (signer + chain) and CRLs (DER). Verifiers treat it as an allowed update."""
    from asn1crypto import crl as asn1_crl
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    out = BytesIO(pdf)
    try:
        writer = IncrementalPdfFileWriter(out, strict=False)
        # Only the DSS: pyHanko would also rewrite /Info (ModDate) whenever the second has
        # turned since signing, which verifiers rightly report as a change after signing.
        writer._update_meta = lambda: None  # type: ignore[method-assign]  # noqa: SLF001
        DocumentSecurityStore.supply_dss_in_writer(
            writer, None, certs=_to_asn1(certs),
            crls=[asn1_crl.CertificateList.load(bytes(c)) for c in crls])
        writer.write_in_place()
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise PdfSigningError(f"Data validasi jangka panjang gagal ditambahkan: {exc}") from exc
    return out.getvalue()


# --------------------------------------------------------------------------- verifying


def _context(trust_roots: list[asn1_x509.Certificate], moment: dt.datetime | None = None):
    return ValidationContext(
        trust_roots=trust_roots,
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=moment or _utcnow(),
    )


def _validate(
    emb: object, trust_roots: list[asn1_x509.Certificate], moment: dt.datetime | None = None
) -> PdfSignatureStatus:
    return validate_pdf_signature(
        emb,  # type: ignore[arg-type]
        signer_validation_context=_context(trust_roots, moment),
        key_usage_settings=_KEY_USAGE,
    )


def _result(
    status: str,
    message: str,
    *,
    infos: Sequence[SignatureInfo] = (),
    revision_sha: str | None = None,
    changed_after_signing: str | None = None,
) -> VerificationResult:
    last = infos[-1] if infos else None
    return VerificationResult(
        changed_after_signing=changed_after_signing,
        status=status,
        signer_name=last.signer_name if last else None,
        signer_nip=last.signer_nip if last else None,
        signed_at=last.signed_at if last else None,
        message=message,
        signed_revision_sha256=revision_sha,
        signatures=tuple(infos),
    )


def _judge_one(
    emb: object, trust_roots: list[asn1_x509.Certificate], is_last: bool
) -> SignatureInfo:
    field_name = str(getattr(emb, "field_name", "") or "")
    try:
        signer_name, nip = _cert_identity(emb.signer_cert)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a broken CMS blob is judged below
        signer_name, nip = None, None
    try:
        status = _validate(emb, trust_roots)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many types on bad input
        log.info("signature %s failed validation: %r", field_name, exc)
        return SignatureInfo(
            field_name, STATUS_ALTERED, signer_name, nip, None,
            "Tanda tangan rusak atau isi dokumen telah diubah.",
        )  # fmt: skip
    signed_at = status.signer_reported_dt

    if not status.intact or not status.valid:
        return SignatureInfo(
            field_name, STATUS_ALTERED, signer_name, nip, signed_at,
            "Isi dokumen tidak cocok dengan tanda tangan: dokumen telah diubah.",
        )  # fmt: skip

    level = status.modification_level
    allowed = (
        (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
        if is_last
        else (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
    )
    coverage_ok = status.coverage in (
        SignatureCoverageLevel.ENTIRE_FILE,
        SignatureCoverageLevel.ENTIRE_REVISION,
    )
    if not coverage_ok or level not in allowed or status.docmdp_ok is False:
        return SignatureInfo(
            field_name, STATUS_ALTERED, signer_name, nip, signed_at,
            "Dokumen telah diubah atau ditambah setelah ditandatangani."
            + (" Revisi yang ditandatangani masih utuh." if coverage_ok else ""),
        )  # fmt: skip

    note = ""
    if not status.trusted and signed_at is not None and _expired_since(emb, signed_at):
        # Certificate expired since: judge at the time the signer reported (no timestamp
        # server is used, so this is the best time available, as Adobe Reader does).
        try:
            retry = _validate(emb, trust_roots, moment=signed_at)
        except Exception:  # noqa: BLE001
            retry = None
        if retry is not None and retry.trusted:
            status = retry
            note = " Sertifikat penanda tangan kini sudah habis masa berlakunya."
    if not status.trusted:
        return SignatureInfo(
            field_name, STATUS_UNKNOWN, signer_name, nip, signed_at,
            "Tanda tangan dibuat dengan sertifikat yang tidak dikenal atau tidak berlaku.",
        )  # fmt: skip
    return SignatureInfo(
        field_name, STATUS_GENUINE, signer_name, nip, signed_at,
        "Tanda tangan sah dan dokumen tidak diubah." + note,
        modification_level=getattr(level, "name", None),
    )  # fmt: skip


_INFO_REF = re.compile(rb"/Info\s+(\d+)\s+0\s+R")


def changed_after_signing(pdf: bytes, emb: object, modification_level: str | None) -> str | None:
    """What the file holds beyond the last signature's revision: None when nothing (or only
    PAdES validation data, a DSS, without touching the document information), "tambahan"
    when bytes follow the file's last ``%%EOF`` (appended junk), "pembaruan" when an
    incremental update changed anything else (e.g. only the metadata: pyHanko's difference
    analysis does not look at the /Info dictionary)."""
    try:
        byte_range = [int(v) for v in emb.byte_range]  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return None
    end = byte_range[2] + byte_range[3] if len(byte_range) == 4 else len(pdf)
    tail = pdf[end:]
    if not tail.strip(b"\r\n\t \x00"):
        return None
    last_eof = pdf.rfind(b"%%EOF")
    if last_eof < end or pdf[last_eof + 5:].strip(b"\r\n\t \x00"):
        return "tambahan"
    if modification_level != "LTA_UPDATES":
        return "pembaruan"
    refs = _INFO_REF.findall(pdf[:end])
    if refs and re.search(rb"(?<![0-9])" + refs[-1] + rb"\s+0\s+obj", tail):
        return "pembaruan"
    if _INFO_REF.findall(tail) and (not refs or _INFO_REF.findall(tail)[-1] != refs[-1]):
        return "pembaruan"
    return None


_AFTER_SIGNING_MESSAGE = {
    "pembaruan": "Berkas ini diubah setelah ditandatangani (ada pembaruan bertahap setelah "
                 "tanda tangan).",
    "tambahan": "Berkas ini diubah setelah ditandatangani (ada data tambahan di akhir berkas).",
}


def _expired_since(emb: object, signed_at: dt.datetime) -> bool:
    try:
        cert = emb.signer_cert  # type: ignore[attr-defined]
        validity = cert["tbs_certificate"]["validity"]
        not_before = validity["not_before"].native
        not_after = validity["not_after"].native
    except Exception:  # noqa: BLE001
        return False
    return not_before <= signed_at <= not_after < _utcnow()


def _revision_sha(pdf: bytes, emb: object) -> str | None:
    try:
        byte_range = [int(v) for v in emb.byte_range]  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return None
    if len(byte_range) != 4:
        return None
    end = byte_range[2] + byte_range[3]
    if end > len(pdf):
        return None
    return sha256_hex(pdf[:end])


def revision_hashes(pdf: bytes) -> set[str]:
    """SHA-256 of every revision of ``pdf`` (each prefix ending at ``%%EOF`` and its line
    end): a B-LT letter whose validation data was appended still matches the stored hash."""
    out: set[str] = set()
    start = 0
    while (pos := pdf.find(b"%%EOF", start)) >= 0:
        end = pos + 5
        for tail in (b"", b"\n", b"\r\n", b"\r"):
            if pdf[end:end + len(tail)] == tail:
                out.add(sha256_hex(pdf[:end + len(tail)]))
        start = end
    return out


_SIGNATURE_TRACES = (
    b"/ByteRange",
    b"/FT /Sig",
    b"/FT/Sig",
    b"/Type /Sig",
    b"/Type/Sig",
    b"/SubFilter",
    b"ETSI.CAdES.detached",
    b"adbe.pkcs7.detached",
)
_LEGACY_SUBFILTERS = ("/adbe.pkcs7.sha1", "/adbe.x509.rsa_sha1")


def _has_signature_traces(pdf: bytes) -> bool:
    """Whether the bytes show a signature was there (one flipped byte cannot hide them all)."""
    return any(marker in pdf for marker in _SIGNATURE_TRACES)


def _unsupported_signatures(reader: PdfFileReader, recognised: int) -> tuple[str, str] | None:
    """Judge filled signature fields that pyHanko skipped (unknown or damaged /SubFilter)."""
    try:
        filled = list(fields.enumerate_sig_fields(reader, filled_status=True))
    except Exception:  # noqa: BLE001
        return STATUS_ALTERED, "Struktur tanda tangan dalam dokumen rusak: dokumen telah diubah."
    try:
        timestamps = len(reader.embedded_timestamp_signatures)
    except Exception:  # noqa: BLE001
        timestamps = 0
    if len(filled) <= recognised + timestamps:
        return None
    for _name, sig_obj, _field in filled:
        try:
            subfilter = str(sig_obj.get_object().get("/SubFilter"))
        except Exception:  # noqa: BLE001
            subfilter = ""
        if subfilter in _LEGACY_SUBFILTERS:
            return (
                STATUS_UNKNOWN,
                "Dokumen memakai jenis tanda tangan lama yang tidak didukung.",
            )
    return STATUS_ALTERED, "Tanda tangan dalam dokumen rusak: dokumen telah diubah."


def verify_pdf(pdf: bytes, trust_roots_pem: list[bytes]) -> VerificationResult:
    """Judge whether ``pdf`` is a genuine signed document (see module docstring).

    ``trust_roots_pem``: trusted root certificates (PEM or DER), e.g. the office CA and
    the BSrE root.  Never raises on bad input; the answer is always a result.
    """
    trusted: list[x509.Certificate] = []
    for blob in trust_roots_pem:
        try:
            trusted += load_certificates(blob)
        except AppError:
            log.warning("ignoring an unreadable trust root")
    roots = _to_asn1(trusted)

    has_sig_marker = _has_signature_traces(pdf)
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = list(reader.embedded_regular_signatures)
    except Exception as exc:  # noqa: BLE001 - anything the parser raises on a broken file
        log.info("unreadable PDF: %r", exc)
        if has_sig_marker:
            return _result(
                STATUS_ALTERED,
                "Berkas PDF rusak: dokumen bertanda tangan ini telah diubah.",
            )
        return _result(STATUS_UNKNOWN, "Berkas bukan PDF yang dapat dibaca.")

    problem = _unsupported_signatures(reader, len(signatures))
    if problem is not None:
        status, message = problem
        return _result(status, message)

    if not signatures:
        if has_sig_marker:
            return _result(
                STATUS_ALTERED,
                "Tanda tangan dalam dokumen tidak dapat dibaca: dokumen telah diubah.",
            )
        return _result(STATUS_UNKNOWN, "Dokumen tidak memiliki tanda tangan elektronik.")

    infos = [
        _judge_one(emb, roots, is_last=(i == len(signatures) - 1))
        for i, emb in enumerate(signatures)
    ]
    revision_sha = _revision_sha(pdf, signatures[-1])

    altered = [i for i in infos if i.status == STATUS_ALTERED]
    unknown = [i for i in infos if i.status == STATUS_UNKNOWN]
    if altered:
        message = altered[0].message
        if len(infos) > 1:
            message += f" ({len(altered)} dari {len(infos)} tanda tangan bermasalah.)"
        return _result(STATUS_ALTERED, message, infos=infos, revision_sha=revision_sha)
    if unknown:
        message = unknown[0].message
        if len(infos) > 1:
            names = ", ".join(i.signer_name or "?" for i in unknown)
            message += f" (penanda tangan: {names})"
        return _result(STATUS_UNKNOWN, message, infos=infos, revision_sha=revision_sha)

    last = infos[-1]
    after = changed_after_signing(pdf, signatures[-1], last.modification_level)
    if after is not None:
        who = last.signer_name or "penanda tangan"
        return _result(
            STATUS_ALTERED,
            _AFTER_SIGNING_MESSAGE[after] + f" Revisi yang ditandatangani {who} masih utuh; "
            "gunakan berkas asli dari kantor.",
            infos=infos, revision_sha=revision_sha, changed_after_signing=after)
    who = last.signer_name or "penanda tangan"
    when = f" pada {_format_wib(last.signed_at)}" if last.signed_at else ""
    if len(infos) == 1:
        message = f"Dokumen asli, ditandatangani oleh {who}{when}."
    else:
        names = ", ".join(i.signer_name or "?" for i in infos)
        message = f"Dokumen asli, {len(infos)} tanda tangan sah ({names}); terakhir{when}."
    if "habis masa berlakunya" in " ".join(i.message for i in infos):
        message += " Sertifikat penanda tangan kini sudah habis masa berlakunya."
    return _result(STATUS_GENUINE, message, infos=infos, revision_sha=revision_sha)
