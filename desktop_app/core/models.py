"""Database tables (SQLAlchemy 2 typed ORM).

Times are stored timezone-aware in UTC (``UtcDateTime``) and read back as naive office time
(the office's zone, WIB by default): the office calendar reasons in local working hours.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column, relationship

from desktop_app.core.office_time import UtcDateTime
from desktop_app.core.sqlfn import json_text

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonType = JSON().with_variant(JSONB(), "postgresql")
TRAINING_START = "tanggal_mulai"  # the training's first day in a pelatihan case's intake


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# ------------------------------------------------------------------ people and accounts


class User(Base):
    """A member of staff who logs in. Officials also carry NIP, rank (pangkat) and position."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(18))
    pangkat: Mapped[str | None] = mapped_column(String(100))
    jabatan: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set by an administrator's reset or when an administrator creates the account: the
    # password must be changed at the next login before any work.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false())
    signature_image: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_codes(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")


class Delegation(Base):
    """A head hands their lane to a deputy for a date range (Plh./Plt.)."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default="Plh.")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    from_user: Mapped[User] = relationship(foreign_keys=[from_user_id], lazy="joined")
    to_user: Mapped[User] = relationship(foreign_keys=[to_user_id], lazy="joined")


class Applicant(Base):
    """A citizen who applies (pemohon), identified by NIK."""

    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    nik: Mapped[str] = mapped_column(String(16), unique=True)
    nama: Mapped[str] = mapped_column(String(200))
    tempat_lahir: Mapped[str | None] = mapped_column(String(100))
    tanggal_lahir: Mapped[date | None] = mapped_column(Date)
    jenis_kelamin: Mapped[str | None] = mapped_column(String(1))
    alamat: Mapped[str | None] = mapped_column(Text)
    telepon: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Company(Base):
    """A company (perusahaan) that applies, e.g. a construction contractor."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    nama: Mapped[str] = mapped_column(String(200), index=True)
    npwp: Mapped[str | None] = mapped_column(String(32), unique=True)
    alamat: Mapped[str | None] = mapped_column(Text)
    telepon: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


# ------------------------------------------------------------------------------- cases


class SopVersion(Base):
    """One version of an SOP file: the TOML text cases run on, or a draft awaiting activation.

    ``status``: "draf" (imported, not in use), "aktif" (new cases start on it), "lama" (an
    earlier active version; its open cases still finish on it). Texts never change once saved.
    """

    __tablename__ = "sop_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_code: Mapped[str] = mapped_column(String(32))
    version: Mapped[int | None] = mapped_column(Integer)  # numbered when activated
    status: Mapped[str] = mapped_column(String(8))
    number: Mapped[str] = mapped_column(String(100))  # the SOP number on the sheet
    revised: Mapped[date | None] = mapped_column(Date)  # "Tanggal Revisi" of the sheet
    content_hash: Mapped[str] = mapped_column(String(64))
    toml_text: Mapped[str] = deferred(mapped_column(Text, nullable=False))
    source: Mapped[str] = mapped_column(String(255))  # imported file, or "bawaan program"
    report: Mapped[list[str] | None] = mapped_column(JsonType)  # the import report
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    viewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # "Lihat SOP" of the draft
    viewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    activated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    activated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        UniqueConstraint("sop_code", "version"),
        Index("ix_sop_versions_code_status", "sop_code", "status"),
    )


class Case(Base):
    """A berkas: one application moving through the steps of one SOP."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_code: Mapped[str] = mapped_column(String(32))
    # The SOP version the case started on; it finishes on it (a new version is for new cases).
    sop_version_id: Mapped[int] = mapped_column(ForeignKey("sop_versions.id"))
    register_number: Mapped[str] = mapped_column(String(64), unique=True)
    register_year: Mapped[int] = mapped_column(Integer)
    register_seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    current_step: Mapped[int] = mapped_column(Integer)
    current_lane: Mapped[str] = mapped_column(String(32))
    # What the list shows and searches, kept beside the JSON so lists never parse it.
    title: Mapped[str] = mapped_column(String(200))
    title_key: Mapped[str] = mapped_column(String(200))  # lower-case, for prefix search
    nik: Mapped[str | None] = mapped_column(String(16))
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    attention_note: Mapped[str | None] = mapped_column(Text)  # last return reason for a lane
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    step_started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    step_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    applicant: Mapped[Applicant | None] = relationship(lazy="raise")
    company: Mapped[Company | None] = relationship(lazy="raise")
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id], lazy="raise")
    requirement_checks: Mapped[list[RequirementCheck]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="RequirementCheck.requirement_code"
    )
    events: Mapped[list[StepEvent]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="StepEvent.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_cases_sop_status_registered", "sop_code", "status", "registered_at", "id"),
        Index("ix_cases_sop_registered", "sop_code", "registered_at", "id"),
        Index("ix_cases_sop_title", "sop_code", "title_key", "id"),
        Index("ix_cases_sop_due", "sop_code", "step_due_at", "id"),
        Index("ix_cases_lane_status_due", "current_lane", "status", "step_due_at"),
        Index("ix_cases_nik", "nik"),
        Index("ix_cases_sop_nik", "sop_code", "nik"),  # NIK-prefix search inside one SOP
        Index("ix_cases_sop_year_seq", "sop_code", "register_year", "register_seq", unique=True),
        Index("ix_cases_sop_version_status", "sop_version_id", "status"),
    )


class RequirementCheck(Base):
    """Whether one item of the SOP's requirements checklist was handed in."""

    __tablename__ = "requirement_checks"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    requirement_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")


class StepEvent(Base):
    """One thing that happened to a case: who, in which role, when, and against which standard."""

    __tablename__ = "step_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    step_no: Mapped[int] = mapped_column(Integer)
    lane: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_name: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime] = mapped_column(UtcDateTime)
    standard_minutes: Mapped[int] = mapped_column(Integer)
    working_minutes: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)


class Attachment(Base):
    """A scanned requirement or photo belonging to a case."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # "pas_foto", "scan", "ttd_basah" ...
    requirement_code: Mapped[str | None] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Document(Base):
    """One version of a printable document of a case (letter, card, minutes ...)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    doc_type: Mapped[str] = mapped_column(String(48))
    seq: Mapped[int] = mapped_column(Integer, default=1)  # meeting number for repeatables
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16))  # draft, paraf, signed, voided
    number: Mapped[str | None] = mapped_column(String(80), unique=True)
    classification_code: Mapped[str | None] = mapped_column(String(32))
    paper: Mapped[str] = mapped_column(String(8), default="A4")
    data_hash: Mapped[str | None] = mapped_column(String(64))
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    verification_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rendered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    void_reason: Mapped[str | None] = mapped_column(Text)
    doc_version: Mapped[int] = mapped_column("row_version", Integer, default=1)

    approvals: Mapped[list[DocumentApproval]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="DocumentApproval.id"
    )

    __mapper_args__ = {"version_id_col": doc_version}
    __table_args__ = (
        UniqueConstraint("case_id", "doc_type", "seq", "version",
                         name="uq_documents_case_type_seq_version"),
        Index("ix_documents_status", "status"),
    )


class DocumentApproval(Base):
    """A paraf (initial) or tanda tangan (signature) given to one document version."""

    __tablename__ = "document_approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"),
                                             index=True)
    kind: Mapped[str] = mapped_column(String(8))  # "paraf" or "ttd"
    lane: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_name: Mapped[str | None] = mapped_column(String(200))
    delegation_kind: Mapped[str | None] = mapped_column(String(8))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(16), default="elektronik")  # or "basah"


class SignerCredential(Base):
    """A signer's certificate and key (PKCS#12 protected by the signer's own passphrase)."""

    __tablename__ = "signer_credentials"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    pkcs12: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    cert_pem: Mapped[bytes] = mapped_column(LargeBinary)
    subject_name: Mapped[str] = mapped_column(String(255))
    serial_hex: Mapped[str] = mapped_column(String(64))
    not_after: Mapped[datetime] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(String(16), default="kantor")  # or "impor"
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Wrong signing passphrases lock signing only (not the login), see signing.credentials.
    failed_passphrases: Mapped[int] = mapped_column(Integer, default=0, server_default=false())
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class CertificateRevocation(Base):
    """A signer certificate the office revoked (issue 15): from ``revoked_at`` (office local
    time) on, signatures made with it are not valid."""

    __tablename__ = "certificate_revocations"
    __table_args__ = (UniqueConstraint("issuer_sha256", "serial_hex",
                                       name="uq_certificate_revocations_issuer_serial"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial_hex: Mapped[str] = mapped_column(String(64))
    issuer_sha256: Mapped[str] = mapped_column(String(64))  # SHA-256 of the issuer cert (DER)
    subject_name: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                nullable=True)
    reason: Mapped[str] = mapped_column(String(32))
    revoked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))


class RevocationList(Base):
    """A CRL the office CA issued (DER), newest = highest ``number`` per issuer."""

    __tablename__ = "revocation_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer_sha256: Mapped[str] = mapped_column(String(64))
    number: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_update: Mapped[datetime] = mapped_column(UtcDateTime)
    der: Mapped[bytes] = mapped_column(LargeBinary)
    issued_by: Mapped[str] = mapped_column(String(64))


# ----------------------------------------------------------------- numbering, audit, settings


class Counter(Base):
    """A number series (register per SOP per year, letters per classification code per year)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class AuditEvent(Base):
    """Append-only, hash-chained record of everything done (see ``audit.py``)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON, part of the hash
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's last link; its single row is locked while a link is added."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class Setting(Base):
    """Office settings: profile (kop surat), calendar, numbering formats, idle lock ..."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JsonType)


# ------------------------------------------------------------- registers, recaps and survey


class SurveyResponse(Base):
    """One Survei Kepuasan Masyarakat questionnaire (PermenPANRB 14/2017) for a finished case:
    the respondent's profile and the nine elements scored 1-4 (``u1`` … ``u9``)."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         unique=True)
    sop_code: Mapped[str] = mapped_column(String(32))
    responded_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(16))  # "kuesioner" (paper) or "loket" (asked)
    umur: Mapped[int | None] = mapped_column(Integer)
    jenis_kelamin: Mapped[str | None] = mapped_column(String(1))
    pendidikan: Mapped[str | None] = mapped_column(String(32))
    pekerjaan: Mapped[str | None] = mapped_column(String(64))
    u1: Mapped[int] = mapped_column(Integer)
    u2: Mapped[int] = mapped_column(Integer)
    u3: Mapped[int] = mapped_column(Integer)
    u4: Mapped[int] = mapped_column(Integer)
    u5: Mapped[int] = mapped_column(Integer)
    u6: Mapped[int] = mapped_column(Integer)
    u7: Mapped[int] = mapped_column(Integer)
    u8: Mapped[int] = mapped_column(Integer)
    u9: Mapped[int] = mapped_column(Integer)
    saran: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_survey_responses_sop_date", "sop_code", "responded_on"),)


class Ak1CardEvent(Base):
    """What happens to an issued AK/I card afterwards: the holder's six-monthly report
    (``lapor``), a placement in work (``ditempatkan``) or a removal (``dihapus``)."""

    __tablename__ = "ak1_card_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    on_date: Mapped[date] = mapped_column(Date)
    employer: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_ak1_card_events_kind_date", "kind", "on_date"),)


class StepStat(Base):
    """Step events summed per month, SOP, step, action and working-time bucket: what the
    standard-time dashboard reads instead of every event (see ``reports/step_stats.py``)."""

    __tablename__ = "step_stats"

    month: Mapped[int] = mapped_column(Integer, primary_key=True)  # yyyymm
    sop_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    step_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(32), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)  # working minutes, bucketed
    n: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)  # exact sum, for the average

    # SQLite keeps the rows in key order: a span of months is read without a lookup per row.
    __table_args__ = {"sqlite_with_rowid": False}


class StepStatsState(Base):
    """How far :class:`StepStat` reaches: every event finished before ``upto`` is counted."""

    __tablename__ = "step_stats_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    upto: Mapped[datetime | None] = mapped_column(UtcDateTime)


# Indexes the registers, recaps and the standard-time dashboard read by (kept here, beside
# their tables' other indexes in spirit, so the table classes above stay as they are).
Index("ix_cases_closed", Case.closed_at, Case.sop_code, Case.status, Case.registered_at,
      Case.due_at)
Index("ix_cases_sop_status_due_registered", Case.sop_code, Case.status, Case.due_at,
      Case.registered_at)
Index("ix_cases_sop_status_step_due", Case.sop_code, Case.status, Case.step_due_at, Case.id)
Index("ix_step_events_finished", StepEvent.finished_at, StepEvent.action, StepEvent.case_id)
Index("ix_documents_rendered", Document.rendered_at)
# The training recap's "first day in the period", read from the intake's JSON: the query uses
# the same sqlfn.json_text expression (literal key), so the planner matches this index.
Index("ix_cases_sop_training_start", Case.sop_code, json_text(Case.data, TRAINING_START))
