"""Demo signing: the demo office CA and certificates, and signed sample documents."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import select

from desktop_app.core.db import Database
from desktop_app.core.models import SignerCredential, User
from desktop_app.core.signing import pdfsign
from desktop_app.core.signing.batch import signer_block
from desktop_app.core.signing.credentials import _load_bundle, issue_credential
from desktop_app.core.signing.office_ca import office_ca, office_ca_pem, setup_office_ca
from desktop_app.core.signing.terms import SIGNING_ROLES, new_verification_code
from desktop_app.core.sop import sops

DEMO_CA_PASSPHRASE = "ca-demo-2026"


def demo_signing_passphrase(username: str) -> str:
    """The demo signing passphrase of a demo official: ``ttd-<username>-2026``."""
    return f"ttd-{username}-2026"


def setup_demo_signing(db: Database) -> list[str]:
    """Demo: the office CA (passphrase ``ca-demo-2026``) and a certificate for every user
    holding kadis/kabid/kasi/sekretaris (signing passphrase ``ttd-<username>-2026``).
    Idempotent: existing CA and credentials are kept. Returns the usernames given one."""
    if office_ca(db) is None:
        setup_office_ca(db, None, DEMO_CA_PASSPHRASE)
    with db.read() as s:
        users = s.scalars(select(User).where(User.is_active.is_(True))
                          .order_by(User.username)).all()
        have = set(s.scalars(select(SignerCredential.user_id)))
        todo = [u.username for u in users
                if u.role_codes & SIGNING_ROLES and u.id not in have and u.nip and u.jabatan]
    for username in todo:
        issue_credential(db, None, DEMO_CA_PASSPHRASE, username,
                         demo_signing_passphrase(username))
    return todo


def sign_samples(out_dir: Path) -> list[Path]:
    """``render-samples --signed``: every signed document type rendered with sample data and
    signed by the demo Kepala Dinas (or the Kabid where the SOP's sign lane is kabid or
    kabid_sekretaris), as ``<sop>_<document>_ttd.pdf``, plus ``ca_kantor.pem`` to check them
    with ``desktop-app verify --ca``. Uses a throw-away demo database."""
    from desktop_app.core.auth import actor_for
    from desktop_app.core.db import open_database
    from desktop_app.core.demo.accounts import create_demo_users
    from desktop_app.core.documents import card as card_mod
    from desktop_app.core.documents.catalog import document_type_or_none, render_document
    from desktop_app.core.documents.samples import sample_context

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="ttd-sampel-") as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'demo.sqlite'}")
        try:
            create_demo_users(db)
            setup_office_ca(db, None, DEMO_CA_PASSPHRASE)
            for username in ("kadis", "kabid"):
                issue_credential(db, None, DEMO_CA_PASSPHRASE, username,
                                 demo_signing_passphrase(username))
            ids = {}
            with db.read() as s:
                ids = dict(s.execute(select(User.username, User.id)).all())
            signers = {u: (actor_for(db, ids[u]), _load_bundle(db, ids[u]))
                       for u in ("kadis", "kabid")}
            ca_pem = office_ca_pem(db)
            assert ca_pem is not None
            from desktop_app.core.signing.revocation import current_crls

            crls = current_crls(db)  # the CA's first CRL: the samples are PAdES B-LT
            (out_dir / "ca_kantor.pem").write_bytes(ca_pem)
            written.append(out_dir / "ca_kantor.pem")
            for sop in sops():
                for spec in sop.documents:
                    if not spec.sign_lane:
                        continue
                    username = "kabid" if spec.sign_lane in ("kabid", "kabid_sekretaris") \
                        else "kadis"
                    actor, bundle = signers[username]
                    code = new_verification_code()
                    with db.read() as s:
                        block = signer_block(s, db, actor, None, code, sop=sop, spec=spec)
                    if spec.code == "kartu_ak1":
                        ctx = card_mod.sample_card_context(signed=True)
                        ctx["signature"] = {**ctx["signature"], **block}
                        ctx["document"]["kode_verifikasi"] = code
                        pdf = card_mod.render_card_pdf(ctx)
                    elif document_type_or_none(spec.code) is not None:
                        ctx = sample_context(spec.code)
                        ctx["signature"] = block
                        ctx["document"]["kode_verifikasi"] = code
                        pdf = render_document(spec.code, ctx)
                    else:
                        continue
                    signed = pdfsign.sign_pdf(
                        pdf, bundle, demo_signing_passphrase(username),
                        reason=f"{spec.title} (contoh)", extra_certs=[ca_pem],
                        ltv_crls=crls)
                    path = out_dir / f"{sop.code}_{spec.code}_ttd.pdf"
                    path.write_bytes(signed)
                    written.append(path)
        finally:
            db.dispose()
    return written
