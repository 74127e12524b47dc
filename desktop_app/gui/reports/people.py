"""One person across the services, the counter's status lookup, and the AK/I card records.

* :class:`PersonSearchWindow` — search by NIK or name over every SOP the user may see; the
  person's cases in all services and their AK/I card (valid? report due?), with "Catat
  Lapor / Penempatan / Hapus" for the card.
* :class:`CounterLookupDialog` — type or scan the receipt's number or a letter's QR and tell
  the citizen where the case stands (a barcode scanner types the text and Enter).
* :class:`CardEventDialog` — record a six-monthly report, a placement or a removal.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import AppError, ValidationError
from desktop_app.core.formatting import tanggal, tanggal_jam
from desktop_app.core.reports import ak1_cards, ipk, person
from desktop_app.gui import case_actions
from desktop_app.gui.admin.forms import FieldErrors, save_cancel_buttons
from desktop_app.gui.context import AppContext
from desktop_app.gui.date_input import DateInput
from desktop_app.gui.keyboard import down_to_list
from desktop_app.gui.reports.common import alive, pydate, qdate
from desktop_app.gui.screen_fit import fit_to_screen
from desktop_app.gui.workers import Generation, run_task


class CardEventDialog(QDialog):
    """Record what happened to an AK/I card: report, placement or removal."""

    def __init__(self, ctx: AppContext, card: ak1_cards.CardStatus, kind: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.card = ctx, card
        self.setWindowTitle(ak1_cards.KINDS[kind])
        self.errors = FieldErrors()
        self.kind = QComboBox()
        for code, label in ak1_cards.KINDS.items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.on_date = DateInput()  # typed ddmmyyyy, F4/Alt+Down calendar, Tab moves on
        self.on_date.setDate(qdate(ctx.db.now().date()))
        self.employer = QLineEdit()
        self.employer.setMaxLength(200)
        self.reason = QComboBox()
        self.reason.addItem("", "")
        for reason in ipk.removal_reasons():
            self.reason.addItem(reason, reason)
        self.note = QLineEdit()
        self.note.setMaxLength(2000)
        form = QFormLayout()
        form.addRow(QLabel(f"<b>{card.name}</b> — NIK {card.nik}<br>{card.summary}"))
        form.addRow(self.tr("Jenis catatan"), self.errors.wrap("jenis", self.kind))
        form.addRow(self.tr("Tanggal"), self.errors.wrap("tanggal", self.on_date))
        form.addRow(self.tr("Perusahaan/pemberi kerja"), self.errors.wrap("perusahaan",
                                                                          self.employer))
        form.addRow(self.tr("Alasan penghapusan"), self.errors.wrap("alasan", self.reason))
        form.addRow(self.tr("Catatan"), self.errors.wrap("catatan", self.note))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(save_cancel_buttons(self, self.save))
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()
        self.result_status: ak1_cards.CardStatus | None = None

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.employer.setEnabled(kind == ak1_cards.PLACED)
        self.reason.setEnabled(kind == ak1_cards.REMOVED)

    def save(self) -> bool:
        def call() -> None:
            self.result_status = ak1_cards.record_card_event(
                self.ctx.db, self.ctx.user, self.card.case_id, self.kind.currentData(),
                pydate(self.on_date.date()), employer=self.employer.text(),
                reason=self.reason.currentData() or "", note=self.note.text())

        if self.errors.attempt(call):
            self.accept()
            return True
        return False


class PersonSearchWindow(QWidget):
    """Cari Orang: a person's cases in every service and their AK/I card."""

    def __init__(self, ctx: AppContext, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(self.tr("Cari Orang di Semua Layanan"))
        self.errors = FieldErrors()
        self.search = QLineEdit(text)
        self.search.setPlaceholderText(self.tr("NIK (paling sedikit 6 angka) atau nama"))
        self.search.setClearButtonEnabled(True)
        self.find_button = QPushButton(self.tr("Cari"))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Orang / Berkas"), self.tr("Layanan"),
                                   self.tr("Status"), self.tr("Langkah"),
                                   self.tr("Tanggal Daftar")])
        self.tree.setColumnWidth(0, 300)
        self.tree.setColumnWidth(3, 300)
        self.card_label = QLabel()
        self.card_label.setWordWrap(True)
        self.card_buttons = {kind: QPushButton(label) for kind, label in (
            (ak1_cards.REPORT, self.tr("Catat Lapor 6 Bulanan…")),
            (ak1_cards.PLACED, self.tr("Catat Penempatan…")),
            (ak1_cards.REMOVED, self.tr("Hapus dari Daftar…")))}
        self.people: list[person.Person] = []
        self._gen = Generation()
        top = QHBoxLayout()
        top.addWidget(self.errors.wrap("cari", self.search), 1)
        top.addWidget(self.find_button)
        cards = QHBoxLayout()
        cards.addWidget(self.card_label, 1)
        for button in self.card_buttons.values():
            button.setVisible(False)
            cards.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.tree, 1)
        layout.addLayout(cards)
        self.search.returnPressed.connect(self.run_search)
        self.find_button.clicked.connect(self.run_search)
        self.tree.itemActivated.connect(self._open)  # Enter or double-click opens the hit
        down_to_list(self.search, self.tree)
        self.tree.currentItemChanged.connect(lambda *_: self._show_card())
        for kind, button in self.card_buttons.items():
            button.clicked.connect(lambda _c=False, k=kind: self.record(k))
        fit_to_screen(self, QSize(1050, 640))
        if text:
            self.run_search()

    def run_search(self) -> None:
        self.errors.clear()
        text = self.search.text()
        gen = self._gen.next()
        db, actor = self.ctx.db, self.ctx.user

        def done(people: list[person.Person]) -> None:
            if alive(self) and self._gen.is_current(gen):
                self.show_people(people)

        def failed(exc: Exception) -> None:
            if alive(self) and self._gen.is_current(gen):
                self.errors.show(exc if isinstance(exc, ValidationError) else {
                    "_": exc.message if isinstance(exc, AppError) else self.tr(
                        "Pencarian gagal; rinciannya tercatat di log program.")})

        run_task(lambda: person.search_people(db, actor, text), done, failed)

    def show_people(self, people: list[person.Person]) -> None:
        self.people = people
        self.tree.clear()
        for i, p in enumerate(people):
            head = QTreeWidgetItem([f"{p.name} — NIK {p.nik}" if p.nik else p.name,
                                    self.tr("{n} berkas").format(n=len(p.cases)),
                                    p.card.summary if p.card else "", "", ""])
            head.setData(0, Qt.ItemDataRole.UserRole + 1, i)
            for c in p.cases:
                item = QTreeWidgetItem([c.register_number, c.service, c.status_label,
                                        f"{c.step} ({c.lane})" if c.lane else c.step,
                                        tanggal(c.registered_at)])
                item.setData(0, Qt.ItemDataRole.UserRole, c.case_id)
                item.setData(0, Qt.ItemDataRole.UserRole + 1, i)
                head.addChild(item)
            self.tree.addTopLevelItem(head)
            head.setExpanded(True)
        if not people:
            self.errors.show({"cari": self.tr("Tidak ada berkas atas NIK atau nama itu.")})
        elif self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._show_card()

    def current_person(self) -> person.Person | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        index = item.data(0, Qt.ItemDataRole.UserRole + 1)
        return self.people[index] if index is not None and index < len(self.people) else None

    def _show_card(self) -> None:
        p = self.current_person()
        card = p.card if p else None
        if p is None or not p.nik:
            self.card_label.setText("")
        elif card is None:
            self.card_label.setText(self.tr("Belum memiliki kartu AK/I dari kantor ini."))
        else:
            reports = ", ".join(f"{ak1_cards.KINDS[e.kind]} {tanggal(e.on_date)}"
                                for e in card.events) or self.tr("belum ada catatan")
            self.card_label.setText(f"<b>{card.summary}</b><br>"
                                    + self.tr("Catatan kartu: {r}").format(r=reports))
        for button in self.card_buttons.values():
            button.setVisible(card is not None and card.is_valid)

    def record(self, kind: str) -> CardEventDialog | None:
        p = self.current_person()
        if p is None or p.card is None:
            return None
        dialog = CardEventDialog(self.ctx, p.card, kind, self)
        self.last_dialog = dialog
        if dialog.exec():
            self.run_search()
        return dialog

    def _open(self, item: QTreeWidgetItem) -> None:
        case_id = item.data(0, Qt.ItemDataRole.UserRole)
        if case_id:
            case_actions.open_case(self.ctx, int(case_id), self, self.run_search)


class CounterLookupDialog(QDialog):
    """Cek Status Berkas: the receipt's number or QR, typed or scanned."""

    def __init__(self, ctx: AppContext, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Cek Status Berkas"))
        self.errors = FieldErrors()
        self.number = QLineEdit(text)
        self.number.setPlaceholderText(self.tr("Nomor register pada tanda terima, atau pindai "
                                               "kode QR"))
        self.check_button = QPushButton(self.tr("Periksa"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self.tr("Buka Berkas"))
        self.survey_button = QPushButton(self.tr("Isi Survei Kepuasan…"))
        self.open_button.setVisible(False)
        self.survey_button.setVisible(False)
        self.standing: person.CaseStanding | None = None
        row = QHBoxLayout()
        row.addWidget(self.errors.wrap("nomor", self.number), 1)
        row.addWidget(self.check_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.survey_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.result, 1)
        layout.addLayout(buttons)
        self.number.returnPressed.connect(self.check)
        self.check_button.clicked.connect(self.check)
        self.open_button.clicked.connect(self._open)
        self.survey_button.clicked.connect(self._survey)
        fit_to_screen(self, QSize(640, 320))
        if text:
            self.check()

    def check(self) -> None:
        self.standing = None
        self.result.clear()

        def call() -> None:
            self.standing = person.case_standing(self.ctx.db, self.ctx.user, self.number.text())

        self.errors.attempt(call, general="nomor")
        st = self.standing
        self.open_button.setVisible(st is not None)
        self.survey_button.setVisible(st is not None and st.status_label == "Selesai")
        if st is None:
            return
        expected = tanggal_jam(st.expected) if st.expected else "-"
        self.result.setText(
            f"<h3>{st.register_number} — {st.service}</h3>"
            f"<p><b>{st.title}</b><br>{self.tr('Status')}: <b>{st.status_label}</b><br>"
            f"{self.tr('Langkah')}: {st.step} ({st.lane})<br>"
            f"{self.tr('Didaftarkan')}: {tanggal_jam(st.registered_at)} · "
            f"{self.tr('Perkiraan selesai')}: {expected}</p>"
            f"<p style='font-size:12pt'>{st.message}</p>")
        self.number.selectAll()  # the next scan replaces it

    def _open(self) -> None:
        if self.standing is not None:
            case_actions.open_case(self.ctx, self.standing.case_id, self, self.check)

    def _survey(self) -> None:
        if self.standing is not None:
            from desktop_app.gui.reports.survey_entry import SurveyEntryDialog

            SurveyEntryDialog(self.ctx, self.standing.register_number, self).exec()

