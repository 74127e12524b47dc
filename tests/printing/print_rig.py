"""A private CUPS with cups-pdf queues, and a ruler for what comes out of them.

Used by the printing tests (``conftest.py``) and ``benchmarks/printing.py``.

:class:`CupsRig` starts its own ``cupsd`` (own config directory and socket under /tmp, one per
process, so pytest-xdist workers and two runs at once never share one), points
``CUPS_SERVER`` at it and creates three cups-pdf queues:

* ``pdf_tepi0`` - cups-pdf's own driver: prints to the edge, no A6 or F4, takes custom sizes;
* ``laser_42`` - an office laser that cannot print the outer 4.2 mm (12 pt, as HP's drivers
  say), lists A6 and F4 only as "Oficio 8.5x13" (FanFoldGermanLegal), takes custom sizes;
* ``laser_5`` - a laser with 5 mm margins that lists "F4" (215 x 330 mm) and takes no custom
  sizes.

cups-pdf needs PostScript, so each job goes PDF -> pdftopdf -> pdftops -> Ghostscript -> PDF.
The queues use poppler's ``pdftops`` (``pdftops-renderer=pdftops``): with Debian's default
(Ghostscript) the text becomes Type 3 glyphs whose boxes pdftotext cannot measure. What
cups-pdf cannot emulate: the laser's unprintable edge is not blanked (the PPD only tells the
program and the filters about it), and no paper is fed, so a wrong tray shows only as the
page size of the output.

The ruler (:func:`measure`) rasterises a page with ``pdftoppm`` and finds its landmarks: the
ink box and the longest horizontal and vertical rules (lines of 25 mm and more). Comparing the
landmarks of the source page and the printed page gives the scale (rule lengths) and the
position error (every landmark, in mm); :func:`text_check` compares the glyph positions (pdfminer)
of outputs that kept their text.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MM = 72 / 25.4
QUEUE_EDGE = "pdf_tepi0"
QUEUE_LASER = "laser_42"
QUEUE_LASER_F4 = "laser_5"
QUEUES = (QUEUE_EDGE, QUEUE_LASER, QUEUE_LASER_F4)
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd")
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
_DIR_PREFIX = "dapp-cups-"


def rig_dir(pid: int | None = None) -> Path:
    """This process's CUPS directory (short: a socket path must stay under 108 bytes)."""
    return Path("/tmp") / f"{_DIR_PREFIX}{pid or os.getpid()}"


def missing() -> str | None:
    """Why the rig cannot run here (None when it can)."""
    for tool in ("cupsd", "lpadmin", "lp", "lpstat", "pdfinfo", "pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            return f"{tool} not installed (apt-get install cups cups-client poppler-utils)"
    if not CUPS_PDF_BACKEND.exists() or not CUPS_PDF_PPD.exists():
        return "cups-pdf not installed (apt-get install printer-driver-cups-pdf)"
    if os.geteuid() != 0:
        return "cups-pdf's backend runs as root: the print tests need root"
    return None


# --------------------------------------------------------------------------- drivers


def laser_ppd(nick: str, sizes: list[tuple[str, str, float, float]], margin_mm: float,
              custom: bool) -> str:
    """A PostScript laser's PPD: ``sizes`` (key, name, w mm, h mm), all with ``margin_mm``
    unprintable at every edge (``ImageableArea``), custom sizes or not."""
    m = margin_mm * MM
    lines = ['*PPD-Adobe: "4.3"', '*FormatVersion: "4.3"', '*FileVersion: "1.0"',
             "*LanguageVersion: English", "*LanguageEncoding: ISOLatin1",
             '*PCFileName: "OFFLASER.PPD"', '*Manufacturer: "Uji"', '*Product: "(Office Laser)"',
             f'*ModelName: "{nick}"', f'*ShortNickName: "{nick}"', f'*NickName: "{nick}"',
             '*PSVersion: "(3010.000) 0"', '*LanguageLevel: "3"', "*ColorDevice: False",
             "*DefaultColorSpace: Gray", "*FileSystem: False", '*Throughput: "30"',
             "*LandscapeOrientation: Plus90", "*TTRasterizer: Type42",
             f"*HWMargins: {m:.2f} {m:.2f} {m:.2f} {m:.2f}"]
    if custom:
        lines += ["*VariablePaperSize: True", '*MaxMediaWidth: "864"', '*MaxMediaHeight: "1296"',
                  "*NonUIOrderDependency: 100 AnySetup *CustomPageSize",
                  '*CustomPageSize True: "pop pop pop <</PageSize [ 5 -2 roll ] '
                  '/ImagingBBox null>>setpagedevice"', "*End",
                  "*ParamCustomPageSize Width: 1 points 216 864",
                  "*ParamCustomPageSize Height: 2 points 288 1296",
                  "*ParamCustomPageSize Orientation: 3 int 0 3",
                  "*ParamCustomPageSize WidthOffset: 4 points 0 0",
                  "*ParamCustomPageSize HeightOffset: 5 points 0 0"]
    for keyword in ("PageSize", "PageRegion"):
        lines += [f"*OpenUI *{keyword}/Media Size: PickOne",
                  f"*OrderDependency: 10 AnySetup *{keyword}", f"*Default{keyword}: A4"]
        lines += [f'*{keyword} {key}/{name}: "<</PageSize[{w * MM:.2f} {h * MM:.2f}]'
                  f'/ImagingBBox null>>setpagedevice"' for key, name, w, h in sizes]
        lines.append(f"*CloseUI: *{keyword}")
    lines.append("*DefaultImageableArea: A4")
    lines += [f'*ImageableArea {key}/{name}: "{m:.2f} {m:.2f} {w * MM - m:.2f} {h * MM - m:.2f}"'
              for key, name, w, h in sizes]
    lines.append("*DefaultPaperDimension: A4")
    lines += [f'*PaperDimension {key}/{name}: "{w * MM:.2f} {h * MM:.2f}"'
              for key, name, w, h in sizes]
    lines += ["*DefaultResolution: 600dpi", "*DefaultFont: Courier",
              '*Font Courier: Standard "(002.004S)" Standard ROM']
    return "\n".join(lines) + "\n"


_COMMON = [("A4", "A4", 210, 297), ("A5", "A5", 148, 210), ("A6", "A6", 105, 148),
           ("Letter", "Letter", 215.9, 279.4)]
LASER_42_SIZES = _COMMON + [("Legal", "Legal", 215.9, 355.6),
                            ("FanFoldGermanLegal", "Oficio 8.5x13", 215.9, 330.2)]
LASER_5_SIZES = _COMMON + [("F4", "F4 (215 x 330 mm)", 215, 330)]


# --------------------------------------------------------------------------- the server


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale() -> None:
    """Remove rig directories left by runs that were killed (their process is gone)."""
    for path in Path("/tmp").glob(f"{_DIR_PREFIX}*"):
        with contextlib.suppress(ValueError):
            owner = int(path.name[len(_DIR_PREFIX):])
            pidfile = path / "cupsd.pid"
            cupsd = int(pidfile.read_text()) if pidfile.exists() else 0
            if not _alive(owner) and not (cupsd and _alive(cupsd)):
                shutil.rmtree(path, ignore_errors=True)


class CupsRig:
    """A private ``cupsd`` with the three test queues (see the module docstring)."""

    def __init__(self) -> None:
        self.root = rig_dir()
        self.socket = self.root / "cups.sock"
        self.process: subprocess.Popen[bytes] | None = None
        self.out_dir = _cups_pdf_out_dir()
        self.outputs: list[Path] = []

    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": str(self.socket)}

    def _run(self, *args: str) -> str:
        done = subprocess.run(args, capture_output=True, text=True, env=self.env(),
                              timeout=60, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self) -> CupsRig:
        _clean_stale()
        shutil.rmtree(self.root, ignore_errors=True)
        (self.root / "ppd").mkdir(parents=True)
        for sub in ("spool", "cache", "state", "log"):
            (self.root / sub).mkdir()
        (self.root / "cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel warn\nBrowsing No\nWebInterface No\n"
            "DefaultAuthType None\nMaxJobs 0\nPreserveJobHistory Yes\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
        r = self.root
        (self.root / "cups-files.conf").write_text(
            f"ServerRoot {r}\nRequestRoot {r}/spool\nCacheDir {r}/cache\nStateDir {r}/state\n"
            f"ErrorLog {r}/log/error_log\nAccessLog {r}/log/access_log\n"
            f"PageLog {r}/log/page_log\nPrintcap\n")
        self.process = subprocess.Popen(
            ["cupsd", "-f", "-c", str(r / "cupsd.conf"), "-s", str(r / "cups-files.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        (self.root / "cupsd.pid").write_text(str(self.process.pid))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            done = subprocess.run(["lpstat", "-r"], capture_output=True, text=True,
                                  env=self.env(), check=False)
            if "is running" in done.stdout and "not" not in done.stdout:
                break
            if self.process.poll() is not None:
                raise RuntimeError(f"cupsd exited ({self.process.returncode})")
            time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError("cupsd did not start")
        (r / "ppd" / "laser42.ppd").write_text(
            laser_ppd("Office Laser 4.2 mm", LASER_42_SIZES, 4.2, custom=True))
        (r / "ppd" / "laser5.ppd").write_text(
            laser_ppd("Office Laser 5 mm F4", LASER_5_SIZES, 5.0, custom=False))
        for queue, ppd in ((QUEUE_EDGE, CUPS_PDF_PPD), (QUEUE_LASER, r / "ppd" / "laser42.ppd"),
                           (QUEUE_LASER_F4, r / "ppd" / "laser5.ppd")):
            self._run("lpadmin", "-p", queue, "-E", "-v", "cups-pdf:/", "-P", str(ppd),
                      "-o", "pdftops-renderer-default=pdftops")
        return self

    def stop(self) -> None:
        """Stop the cupsd this rig started, and remove its files and the outputs it made."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None
        for path in self.outputs:
            path.unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)

    # ---------------------------------------------------------------- jobs

    def output(self, job_id: str, title: str, timeout: float = 90) -> Path:
        """The PDF cups-pdf wrote for ``job_id`` (titled ``title``), once the job is done."""
        from desktop_app.core.printing import cups

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if cups.job_done(job_id):
                found = sorted(self.out_dir.glob(f"{title}*.pdf"))
                if found:
                    self.outputs.extend(found)
                    return found[0]
            time.sleep(0.2)
        log = (self.root / "log" / "error_log")
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise TimeoutError(f"job {job_id} ({title}) gave no output in {timeout:.0f} s\n{tail}")


    def output_when_idle(self, queue: str, title: str, timeout: float = 90) -> Path:
        """The PDF of the job titled ``title`` that some other client (Qt's own CUPS engine)
        sent to ``queue``: there once the queue has nothing left to do."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pending = self._run("lpstat", "-o", queue).strip()
            found = sorted(self.out_dir.glob(f"{title}*.pdf"))
            if found and not pending:
                self.outputs.extend(found)
                return found[0]
            time.sleep(0.2)
        raise TimeoutError(f"no output titled {title} from {queue} in {timeout:.0f} s")


def _cups_pdf_out_dir() -> Path:
    """Where cups-pdf puts root's jobs (``Out`` in /etc/cups/cups-pdf.conf, ``${HOME}/PDF``)."""
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text(errors="replace").splitlines():
            if line.startswith("Out "):
                out = line.split(None, 1)[1].strip()
    return Path(out.replace("${HOME}", str(Path.home())))


def unique_title(stem: str) -> str:
    """A job title cups-pdf keeps as the file name and no other job shares."""
    return f"{stem}-{uuid.uuid4().hex[:10]}"


# --------------------------------------------------------------------------- the ruler


def page_sizes_mm(pdf: Path) -> list[tuple[float, float]]:
    """Each page's size in mm as shown (``/Rotate`` applied), from ``pdfinfo``."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                         text=True, check=True).stdout
    sizes = re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", out)
    turns = [int(r) for r in re.findall(r"Page +\d+ rot: +(\d+)", out)] or [0] * len(sizes)
    return [(float(h) / MM, float(w) / MM) if turn % 180 else (float(w) / MM, float(h) / MM)
            for (w, h), turn in zip(sizes, turns, strict=True)]


def raster(pdf: Path, page: int, dpi: int = 300) -> np.ndarray:
    """Page ``page`` (1-based) as a grey image, 0 black … 255 white."""
    from PIL import Image

    out = subprocess.run(["pdftoppm", "-q", "-gray", "-r", str(dpi), "-f", str(page), "-l",
                          str(page), "-singlefile", str(pdf)], capture_output=True, check=True)
    import io

    return np.asarray(Image.open(io.BytesIO(out.stdout)).convert("L"))


def _longest_runs(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the length of the longest run of ink and where it starts."""
    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    edges = np.diff(padded, axis=1)
    best_len = np.zeros(ink.shape[0], dtype=int)
    best_start = np.zeros(ink.shape[0], dtype=int)
    for row in np.nonzero(ink.any(axis=1))[0]:
        starts = np.nonzero(edges[row] == 1)[0]
        ends = np.nonzero(edges[row] == -1)[0]
        lengths = ends - starts
        k = int(np.argmax(lengths))
        best_len[row], best_start[row] = lengths[k], starts[k]
    return best_len, best_start


@dataclass(frozen=True)
class Rule:
    """A ruled line: where it runs (mm from the page's top-left) and how long it is."""

    at: float      # y of a horizontal rule, x of a vertical one (centre of its thickness)
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


def _rules(ink: np.ndarray, px_mm: float, min_mm: float) -> list[Rule]:
    lengths, starts = _longest_runs(ink)
    rows = np.nonzero(lengths * px_mm >= min_mm)[0]
    rules: list[Rule] = []
    group: list[int] = []
    for row in list(rows) + [-10]:
        if group and row != group[-1] + 1:
            longest = max(group, key=lambda r: lengths[r])
            rules.append(Rule((group[0] + group[-1] + 1) / 2 * px_mm, starts[longest] * px_mm,
                              (starts[longest] + lengths[longest]) * px_mm))
            group = []
        group.append(row)
    return rules


@dataclass(frozen=True)
class Landmarks:
    """What the ruler found on a page (mm)."""

    ink: tuple[float, float, float, float]  # left, top, right, bottom
    across: list[Rule]
    down: list[Rule]


def landmarks(image: np.ndarray, dpi: int = 300, min_rule_mm: float = 25) -> Landmarks:
    px_mm = 25.4 / dpi
    seen = image < 230  # any visible ink: small grey footer text rasterised at 600 dpi is pale
    rows, cols = np.nonzero(seen.any(axis=1))[0], np.nonzero(seen.any(axis=0))[0]
    box = (cols[0] * px_mm, rows[0] * px_mm, (cols[-1] + 1) * px_mm, (rows[-1] + 1) * px_mm)
    ink = image < 176  # light enough to keep a hairline that a 600 dpi raster turned grey
    return Landmarks(box, _rules(ink, px_mm, min_rule_mm), _rules(ink.T, px_mm, min_rule_mm))


@dataclass(frozen=True)
class Measurement:
    """A printed page against its source: scale along each axis and the worst position error."""

    scale_x: float
    scale_y: float
    position_mm: float
    rule_mm: float          # the longest rule as printed
    source_rule_mm: float

    def __str__(self) -> str:
        return (f"scale {self.scale_x * 100:.2f} % x {self.scale_y * 100:.2f} %, "
                f"position error {self.position_mm:.2f} mm, rule {self.rule_mm:.1f} mm "
                f"(source {self.source_rule_mm:.1f} mm)")


def _match(src: list[Rule], out: list[Rule], shift_at: float, shift_along: float
           ) -> list[tuple[Rule, Rule]]:
    """Each source rule with the printed rule nearest to where it should be, when one is
    within 3 mm of it (a hairline a raster print rendered too light is no position error);
    when none is that close (a print shrunk to fit), simply the nearest."""
    def distance(rule: Rule, o: Rule) -> float:
        return abs(o.at - rule.at - shift_at) + abs(o.start - rule.start - shift_along)

    pairs = [(rule, min(out, key=lambda o: distance(rule, o))) for rule in src if out]
    close = [(rule, o) for rule, o in pairs if distance(rule, o) <= 6]
    return close or pairs


def compare(source: np.ndarray, printed: np.ndarray, shift_mm: tuple[float, float] = (0, 0),
            dpi: int = 300) -> Measurement:
    """Measure ``printed`` against ``source`` whose content should have moved by ``shift_mm``
    (right, down): scale from the longest rules (and, without vertical rules, from the ink
    box's height), position from every landmark."""
    a, b = landmarks(source, dpi), landmarks(printed, dpi)
    dx, dy = shift_mm
    errors = [b.ink[0] - a.ink[0] - dx, b.ink[1] - a.ink[1] - dy,
              b.ink[2] - a.ink[2] - dx, b.ink[3] - a.ink[3] - dy]
    across = _match(a.across, b.across, dy, dx)
    down = _match(a.down, b.down, dx, dy)
    for s, o in across:
        errors += [o.at - s.at - dy, o.start - s.start - dx, o.end - s.end - dx]
    for s, o in down:
        errors += [o.at - s.at - dx, o.start - s.start - dy, o.end - s.end - dy]
    if not across:
        raise AssertionError("the source page has no horizontal rule to measure")
    src_rule, out_rule = max(across, key=lambda pair: pair[0].length)
    scale_x = out_rule.length / src_rule.length
    if down:
        s, o = max(down, key=lambda pair: pair[0].length)
        scale_y = o.length / s.length
    else:
        scale_y = (b.ink[3] - b.ink[1]) / (a.ink[3] - a.ink[1])
    return Measurement(scale_x, scale_y, max(abs(e) for e in errors), out_rule.length,
                       src_rule.length)


@dataclass(frozen=True)
class PdfImage:
    """One image of a PDF as ``pdfimages -list`` reports it."""

    page: int
    width: int
    height: int
    encoding: str
    ppi: float


def image_list(pdf: Path) -> list[PdfImage]:
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    images = []
    for line in out:
        f = line.split()
        images.append(PdfImage(int(f[0]), int(f[3]), int(f[4]), f[8], float(f[12])))
    return images


def glyphs(pdf: Path, page: int) -> list[tuple[float, float]]:
    """Every glyph's left edge and vertical centre on a page (mm from the top-left), read by
    pdfminer; spaces left out (a print may drop them)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTPage

    found: list[tuple[float, float]] = []

    def walk(item: object, height: float) -> None:
        if isinstance(item, LTChar):
            if item.get_text().strip():
                found.append((item.x0 / MM, (height - (item.y0 + item.y1) / 2) / MM))
            return
        for child in getattr(item, "__iter__", lambda: iter(()))():
            walk(child, height)

    for layout in extract_pages(str(pdf), page_numbers=[page - 1]):
        assert isinstance(layout, LTPage)
        walk(layout, layout.height)
    return found


@dataclass(frozen=True)
class TextCheck:
    """How the source's words landed: the share that start within ``tolerance_mm`` of where
    they should (after the shift) and the median error of their left edges."""

    matched: float
    median_mm: float


def text_check(source: list[tuple[float, float]], printed: list[tuple[float, float]],
               shift_mm: tuple[float, float], tolerance_mm: float = 0.5) -> TextCheck | None:
    """Each source glyph against the printed glyph starting nearest to where it should be, on
    the same line (None when the printed page has no text).

    Glyphs, and statistics: the queues' re-embedded fonts lose the text's meaning (pdftotext
    reads "3(0(5,17$+" for PEMERINTAH) and some spaces, so words cannot be paired by their
    text; a glyph still starts where it started, and a print moved by half a millimetre
    moves all of them. Only left edges count: the height of a glyph box comes from the
    font's metrics, not from the print."""
    if not source or not printed:
        return None
    dx, dy = shift_mm
    by_line: dict[int, list[float]] = {}
    for x, y in printed:
        by_line.setdefault(round(y), []).append(x)
    errors = []
    for x, y in source:
        row = round(y + dy)
        near = [p for r in (row - 1, row, row + 1) for p in by_line.get(r, ())]
        errors.append(min((abs(p - x - dx) for p in near), default=99.0))
    errors.sort()
    within = sum(1 for e in errors if e <= tolerance_mm) / len(errors)
    return TextCheck(within, errors[len(errors) // 2])
