"""Record one bipartite meeting (risalah perundingan bipartit) of a dispute case."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QWidget

from desktop_app.core import workflow
from desktop_app.gui.dialogs.base import ActionDialog
from desktop_app.gui.intake import DateField


class BipartiteMeetingDialog(ActionDialog):
    """Date, place, both parties' positions, the result, and — when they agree — the points of
    the agreement (one per line). Sent as ``meeting`` to ``cases.act``."""

    def __init__(self, meeting_no: int, today: date, worker: str = "", company: str = "",
                 parent: QWidget | None = None) -> None:
        total = workflow.BIPARTITE_MEETINGS
        intro = self.tr("Pertemuan bipartit ke-{n} dari {total}.").format(n=meeting_no,
                                                                           total=total)
        if meeting_no >= total:
            intro += " " + self.tr("Bila tidak sepakat, berkas berlanjut ke permohonan bantuan "
                                   "mediator.")
        else:
            intro += " " + self.tr("Bila tidak sepakat, dijadwalkan pertemuan berikutnya.")
        super().__init__(self.tr("Catat Pertemuan Bipartit"), self.tr("Simpan Risalah"), intro,
                         parent)
        self.setMinimumWidth(640)
        # labels above their fields: the parties' names make the labels long
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.date = DateField()
        self.date.set_value(today)
        self.add_field("tanggal", self.tr("Tanggal *"), self.date)
        self.place = QLineEdit()
        self.place.setPlaceholderText(self.tr("mis. Ruang Rapat Bidang Tenaga Kerja"))
        self.add_field("tempat", self.tr("Tempat *"), self.place)
        worker_label = self.tr("Pendapat pekerja *") if not worker else \
            self.tr("Pendapat pekerja ({name}) *").format(name=worker)
        company_label = self.tr("Pendapat pengusaha *") if not company else \
            self.tr("Pendapat pengusaha ({name}) *").format(name=company)
        self.worker = self.text_box(64)
        self.add_field("pendapat_pekerja", worker_label, self.worker)
        self.employer = self.text_box(64)
        self.add_field("pendapat_pengusaha", company_label, self.employer)
        self.result_text = self.text_box(64)
        self.add_field("hasil", self.tr("Hasil perundingan *"), self.result_text)
        self.agreed = QCheckBox(self.tr("Para pihak sepakat (Perjanjian Bersama)"))
        self.agreed.setToolTip(self.tr("Dibuat Perjanjian Bersama dan perkara selesai."))
        self.add_field("sepakat", "", self.agreed)
        self.points = self.text_box(84, self.tr("Satu butir kesepakatan per baris"))
        self.add_field("isi_kesepakatan", self.tr("Isi kesepakatan"), self.points)
        self.agreed.toggled.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.points.setEnabled(self.agreed.isChecked())
        self.ok_button.setText(self.tr("&Simpan Risalah dan Selesaikan")
                               if self.agreed.isChecked() else self.tr("&Simpan Risalah"))

    def check(self) -> dict[str, str]:
        errors = {}
        if self.date.value() is None:
            errors["tanggal"] = self.tr("Tanggal wajib diisi.")
        for key, widget, label in (("tempat", None, self.tr("Tempat")),
                                   ("pendapat_pekerja", self.worker, self.tr("Pendapat pekerja")),
                                   ("pendapat_pengusaha", self.employer,
                                    self.tr("Pendapat pengusaha")),
                                   ("hasil", self.result_text, self.tr("Hasil perundingan"))):
            text = self.place.text() if widget is None else widget.toPlainText()
            if not text.strip():
                errors[key] = self.tr("{label} wajib diisi.").format(label=label)
        if self.agreed.isChecked() and not self.agreement_points():
            errors["isi_kesepakatan"] = self.tr("Isi kesepakatan wajib diisi bila para pihak "
                                                "sepakat.")
        return errors

    def agreement_points(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.points.toPlainText().splitlines()
                if line.strip(" -•\t")]

    def meeting(self) -> dict[str, Any]:
        return {
            "tanggal": self.date.value(),
            "tempat": self.place.text().strip(),
            "pendapat_pekerja": self.worker.toPlainText().strip(),
            "pendapat_pengusaha": self.employer.toPlainText().strip(),
            "hasil": self.result_text.toPlainText().strip(),
            "sepakat": self.agreed.isChecked(),
            "isi_kesepakatan": self.agreement_points() if self.agreed.isChecked() else [],
        }

    def act_kwargs(self) -> dict[str, Any]:
        return {"meeting": self.meeting()}
