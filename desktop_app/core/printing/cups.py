"""Send a PDF print job to a CUPS queue with ``lp`` (Linux and macOS).

CUPS takes PDF jobs and prints them as vector: text stays text at the printer's full
resolution, and a one-page letter is the letter's own ~20 KB. Each job names its paper
(``-o media=F4`` as the driver calls it, or ``Custom.215x330mm``) and asks for no scaling
(``print-scaling=none``; ``fit-to-page=false`` for older filters), so a page the size of the
paper lands on it at 100 %.

``lp`` rather than pycups: the ``lp`` client is on every system that has CUPS (macOS
included), needs no compiler or C headers to install, and honours ``CUPS_SERVER`` and the
user's ``lpoptions``; the job needs nothing the command line cannot say. Its messages are
English and vary by version, so they go to the log and the clerk reads an Indonesian one.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys

from desktop_app.core.errors import AppError

__all__ = ["PrintSystemError", "available", "job_done", "queues", "submit"]

log = logging.getLogger(__name__)

_TIMEOUT_S = 60
_REQUEST_ID = re.compile(r"request id is (\S+)")


class PrintSystemError(AppError):
    """The print system refused or could not be reached (message in Bahasa Indonesia)."""


def available() -> bool:
    """True where PDF jobs can go to CUPS: not Windows, and the ``lp`` client is installed."""
    return sys.platform != "win32" and shutil.which("lp") is not None


def _run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, input=data, capture_output=True, timeout=_TIMEOUT_S,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.error("%s failed: %s", args[0], exc)
        raise PrintSystemError("Sistem cetak tidak menjawab. Periksa layanan pencetak "
                               "(CUPS) di komputer ini, lalu coba lagi.") from exc


def queues() -> list[str]:
    """The names of the CUPS queues this computer can print to."""
    done = _run(["lpstat", "-e"])
    if done.returncode != 0:
        log.warning("lpstat -e: %s", done.stderr.decode(errors="replace").strip())
        return []
    return [line.strip() for line in done.stdout.decode(errors="replace").splitlines()
            if line.strip()]


def submit(pdf: bytes, queue: str, *, media: str, copies: int = 1, title: str = "Dokumen"
           ) -> str:
    """Queue ``pdf`` on ``queue`` on paper ``media`` at 100 %; returns the job id (``Q-12``)."""
    args = ["lp", "-d", queue, "-n", str(max(1, copies)), "-t", title,
            "-o", f"media={media}", "-o", "print-scaling=none", "-o", "fit-to-page=false"]
    if copies > 1:
        args += ["-o", "collate=true"]
    done = _run(args + ["--", "-"], pdf)
    out = done.stdout.decode(errors="replace")
    found = _REQUEST_ID.search(out)
    if done.returncode != 0 or not found:
        log.error("lp to %s failed (%s): %s %s", queue, done.returncode, out.strip(),
                  done.stderr.decode(errors="replace").strip())
        raise PrintSystemError(f"Pencetak {queue} menolak pekerjaan cetak. Periksa apakah "
                               "pencetak menyala dan antreannya aktif, lalu coba lagi.")
    log.info("print job %s: %d bytes, media=%s, copies=%d", found.group(1), len(pdf), media,
             copies)
    return found.group(1)


def job_done(job_id: str) -> bool:
    """True once CUPS lists ``job_id`` among the completed jobs of its queue."""
    queue = job_id.rsplit("-", 1)[0]
    done = _run(["lpstat", "-W", "completed", "-o", queue])
    return any(line.split()[:1] == [job_id]
               for line in done.stdout.decode(errors="replace").splitlines())
