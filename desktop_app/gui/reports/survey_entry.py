"""Entering a Survei Kepuasan Masyarakat questionnaire at the counter.

The clerk types (or scans from the form's QR) the register number, ticks the nine answers
and the respondent's profile as written on the paper form — or asks them at the counter —
and saves; :func:`core.reports.survey.save_response` checks the case (finished, one answer
per case) and who may enter it. "Cetak Kuesioner" prints the blank form for the case.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import ValidationError
from desktop_app.core.reports import survey
from desktop_app.gui.admin.forms import FieldErrors, save_cancel_buttons
from desktop_app.gui.context import AppContext
from desktop_app.gui.date_input import DateInput
from desktop_app.gui.reports.common import pydate, qdate, show_failure
from desktop_app.gui.screen_fit import fit_to_screen


class SurveyEntryDialog(QDialog):
    """Nine answers and the profile of one respondent, for one case."""

    def __init__(self, ctx: AppContext, number: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Survei Kepuasan Masyarakat — Isi Jawaban"))
        self.errors = FieldErrors()
        self.case: survey.SurveyCase | None = None
        self.saved_id: int | None = None
        self.number = QLineEdit(number)
        self.number.setPlaceholderText(self.tr("Nomor register (ketik atau pindai QR kuesioner)"))
        self.find_button = QPushButton(self.tr("Cari Berkas"))
        self.print_button = QPushButton(self.tr("Cetak Kuesioner…"))
        self.case_label = QLabel()
        self.channel = QComboBox()
        for code, label in survey.CHANNELS.items():
            self.channel.addItem(label, code)
        self.responded = DateInput()  # typed ddmmyyyy, F4/Alt+Down calendar, Tab moves on
        self.responded.setDate(qdate(ctx.db.now().date()))
        self.age = QSpinBox()
        self.age.setRange(0, 110)
        self.age.setSpecialValueText(self.tr("—"))
        self.sex = self._combo(("L", "P"))
        self.education = self._combo(survey.EDUCATION)
        self.occupation = self._combo(survey.OCCUPATIONS)
        self.suggestion = QPlainTextEdit()
        self.suggestion.setFixedHeight(60)
        self.groups: list[QButtonGroup] = []
        self._build()

    def _combo(self, items: tuple[str, ...]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(self.tr("—"), "")
        for item in items:
            combo.addItem(item, item)
        return combo

    def _build(self) -> None:
        find = QHBoxLayout()
        find.addWidget(self.errors.wrap("nomor", self.number), 1)
        find.addWidget(self.find_button)
        find.addWidget(self.print_button)
        profile = QFormLayout()
        profile.addRow(self.tr("Cara pengisian"), self.errors.wrap("cara", self.channel))
        profile.addRow(self.tr("Tanggal pengisian"), self.errors.wrap("tanggal", self.responded))
        profile.addRow(self.tr("Umur"), self.errors.wrap("umur", self.age))
        profile.addRow(self.tr("Jenis kelamin"), self.errors.wrap("jenis_kelamin", self.sex))
        profile.addRow(self.tr("Pendidikan"), self.errors.wrap("pendidikan", self.education))
        profile.addRow(self.tr("Pekerjaan"), self.errors.wrap("pekerjaan", self.occupation))
        answers = QWidget()
        grid = QGridLayout(answers)
        for row, element in enumerate(survey.ELEMENTS):
            group = QButtonGroup(self)
            label = QLabel(f"<b>{row + 1}. {element.name}</b><br>{element.question}")
            label.setWordWrap(True)
            box = QWidget()
            line = QHBoxLayout(box)
            line.setContentsMargins(0, 0, 0, 0)
            for score, option in enumerate(element.options, start=1):
                button = QRadioButton(f"{'abcd'[score - 1]}. {option}")
                group.addButton(button, score)
                line.addWidget(button)
            self.groups.append(group)
            grid.addWidget(label, row * 2, 0)
            grid.addWidget(self.errors.wrap(element.code, box), row * 2 + 1, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(answers)
        box = QGroupBox(self.tr("Jawaban (1 = a … 4 = d)"))
        QVBoxLayout(box).addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.addLayout(find)
        layout.addWidget(self.case_label)
        layout.addLayout(profile)
        layout.addWidget(box, 1)
        layout.addWidget(QLabel(self.tr("Saran dan masukan")))
        layout.addWidget(self.errors.wrap("saran", self.suggestion))
        layout.addWidget(self.errors.general)
        layout.addWidget(save_cancel_buttons(self, self.save))
        self.number.returnPressed.connect(self.find_case)
        self.find_button.clicked.connect(self.find_case)
        self.print_button.clicked.connect(self.print_form)
        fit_to_screen(self, QSize(860, 860))
        if self.number.text():
            self.find_case()

    def find_case(self) -> bool:
        self.case = None
        self.case_label.clear()

        def call() -> None:
            self.case = survey.find_case(self.ctx.db, self.ctx.user, self.number.text())

        if not self.errors.attempt(call, general="nomor"):
            return False
        c = self.case
        answered = (self.tr(" — survei sudah diisi {d}").format(d=c.answered_on)
                    if c and c.answered_on else "")
        self.case_label.setText(f"<b>{c.register_number}</b> · {c.title} · {c.status_label}"
                                f"{answered}" if c else "")
        return True

    def scores(self) -> list[int]:
        return [g.checkedId() if g.checkedId() > 0 else 0 for g in self.groups]

    def set_scores(self, scores: list[int]) -> None:
        for group, score in zip(self.groups, scores, strict=True):
            button = group.button(score)
            if button is not None:
                button.setChecked(True)

    def save(self) -> bool:
        if self.case is None and not self.find_case():
            return False
        assert self.case is not None

        def call() -> None:
            self.saved_id = survey.save_response(
                self.ctx.db, self.ctx.user, self.case.case_id, self.scores(),
                responded_on=pydate(self.responded.date()), channel=self.channel.currentData(),
                profile={"umur": self.age.value() or None,
                         "jenis_kelamin": self.sex.currentData(),
                         "pendidikan": self.education.currentData(),
                         "pekerjaan": self.occupation.currentData(),
                         "saran": self.suggestion.toPlainText()})

        if self.errors.attempt(call, general="nomor"):
            self.accept()
            return True
        return False

    def print_form(self) -> None:
        """The blank questionnaire of the case, to print (from the documents of the case)."""
        if self.case is None and not self.find_case():
            return
        assert self.case is not None
        from desktop_app.core.documents import service as documents
        from desktop_app.gui.pdf_preview import PdfPreviewDialog

        try:
            view = documents.draft_document(self.ctx.db, self.ctx.user, self.case.case_id,
                                            survey.QUESTIONNAIRE)
            pdf = documents.document_pdf(self.ctx.db, view.id)
        except ValidationError as exc:
            self.errors.show(exc)
            return
        except Exception as exc:  # noqa: BLE001 - shown in words, details logged
            show_failure(self, self.tr("Cetak Kuesioner"), exc)
            return
        dialog = PdfPreviewDialog(pdf, self.tr("Kuesioner SKM"), self,
                                  file_name=f"Kuesioner_SKM_{self.case.register_number}.pdf"
                                  .replace("/", "-"))
        self.preview = dialog
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.show()
