"""Inputs (paths, folders, http(s) URLs, object-store URIs) -> the units to read, in reading order."""

from __future__ import annotations

import errno
import glob
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compare.ingest.files import not_regular
from compare.ingest.formats import (
    EXPORT_MARKER,
    SUPPORTED_LIST,
    SUPPORTED_NAMES,
    SUPPORTED_SUFFIXES,
    TABLE_SUFFIXES,
    content_suffix,
    nameless_gzip,
    unsupported_type,
)
from compare.ingest.sidecars import headerless_sidecar_problem, is_sidecar, sidecar_notes, sidecar_problem
from compare.model.file_names import not_utf8_name, shown_name

STORAGE_SCHEMES = ("s3", "gs", "gcs", "hdfs", "viewfs", "abfs", "abfss", "file")
_NOTHING_TO_READ = f"folder holds no {SUPPORTED_LIST} file"
_EXPORTED = "charts and tables Parallax exported (python -m compare export), not articles; its files skipped"


@dataclass(frozen=True)
class InputUnit:
    """One thing to read: a file, a URL, or an input already known to be unreadable (``problem``)."""

    location: str
    kind: str  # "file", "url", "storage" (an object-store or file:// URI) or "problem"
    problem: str = ""


def expand_inputs(inputs: str | Path | Iterable[str | Path]) -> list[InputUnit]:
    """The files (folders read recursively, in name order) and URLs to read, in reading order.

    Inputs that cannot be read at all (missing, unsupported type) become ``problem`` units in their
    place, so that reading the units one by one, anywhere, reports problems in the same order.
    """
    if isinstance(inputs, str | Path):
        # analyze("corpus/") is one input: a string is also an iterable of its characters, each of which was read
        # as a file ("c: no such file or folder", ...), and a Path was a TypeError ("not iterable").
        inputs = [inputs]
    units: list[InputUnit] = []
    read: set[str] = set()
    for item in inputs:
        text_item = str(item)
        if re.match(r"^https?://", text_item, re.IGNORECASE):
            units.append(InputUnit(text_item, "url"))
            continue
        if re.match(r"^[a-z][a-z0-9+.-]*://", text_item, re.IGNORECASE):
            units.extend(_storage_units(text_item))
            continue
        if not os.path.lexists(text_item) and (text_item.startswith("~") or _PATTERN_RE.search(text_item)):
            units.extend(_once(_unexpanded_units(text_item), text_item, read))
            continue
        units.extend(_once(_local_units(Path(item), text_item), text_item, read))
    return units


_PATTERN_RE = re.compile(r"[*?]|\[[^\]]+\]")


def _unexpanded_units(given: str) -> list[InputUnit]:
    """The units of a path a shell would have expanded, when no file has its name: ``~/corpus`` (Python's API, a
    quoted argument, a setting file) and a wildcard pattern (``"corpus/*.jsonl"`` quoted in a script, or given to
    ``analyze`` in Python); each was "no such file or folder". A note first says how it was read."""
    expanded = os.path.expanduser(given)
    if not _PATTERN_RE.search(expanded):
        if expanded == given or not os.path.lexists(expanded):
            return _local_units(Path(given), given)
        note = f"'~' read as the home folder ({expanded}), as a shell reads it"
        return [InputUnit(given, "problem", note), *_local_units(Path(expanded), expanded)]
    matches = sorted(glob.glob(expanded, recursive=True))
    if not matches:
        why = "no such file or folder, and no file matches it as a pattern (its * ? or [ ] as a shell reads them)"
        return [InputUnit(given, "problem", why)]
    count = f"{len(matches):,} path{'s' * (len(matches) != 1)}"
    note = f"no file has this name; read as a pattern, as a shell expands it: the {count} it matches"
    return [
        InputUnit(given, "problem", note),
        *(unit for match in matches for unit in _local_units(Path(match), match)),
    ]


def _once(units: list[InputUnit], given: str, read: set[str]) -> list[InputUnit]:
    """The units of one input without the files an earlier input named (a folder given twice, a file inside a
    folder given too), and one note when there were any: each of its articles was a duplicate warning."""
    kept: list[InputUnit] = []
    again = 0
    for unit in units:
        real = os.path.realpath(unit.location) if unit.kind == "file" else None
        if real is not None and real in read:
            again += 1
            continue
        if real is not None:
            read.add(real)
        kept.append(unit)
    if again:
        if again == len(units):
            note = "named twice among the inputs (itself, or in a folder named before); read once"
        else:
            note = f"{again} of its {len(units)} files {'was' if again == 1 else 'were'} named before among the inputs; read once"
        kept.append(InputUnit(given, "problem", note))
    return kept


def _local_units(path: Path, given: str) -> list[InputUnit]:
    """A local path as units: the files of a folder, the file, or why it cannot be read."""
    if given == "-":  # a Unix habit for standard input; no file is named so
        why = "standard input is not read: save the articles to a file (… > articles.jsonl) and give its path"
        return [InputUnit(given, "problem", why)]
    if not_utf8_name(given):
        return [InputUnit(shown_name(given), "problem", _NOT_UTF8_NAME)]
    try:
        mode = path.stat().st_mode  # follows links: a link to a file is that file
    except (OSError, ValueError) as error:
        return [InputUnit(given, "problem", _stat_problem(path, error))]
    if stat.S_ISDIR(mode):
        return _folder_units(path)
    if stat.S_ISREG(mode):
        return [InputUnit(str(path), "file")]
    return [InputUnit(given, "problem", not_regular(mode))]


# A name in another encoding (Latin-1 or Shift JIS from an old archive, a zip made on Windows): Python holds its
# bytes as lone surrogates, which no UTF-8 file, database or JSON can, so the whole analysis failed when saved.
_NOT_UTF8_NAME = (
    "its name is not valid UTF-8 (written in another encoding, such as Latin-1 from an old archive), so it cannot "
    "be stored with the analysis; skipped: rename it (convmv -f latin1 -t utf8 --notest NAME renames it so)"
)


def _stat_problem(path: Path, error: OSError | ValueError) -> str:
    if isinstance(error, ValueError):
        return f"not a usable path ({error})"
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return "a link to a file or folder that does not exist" if _is_link(path) else "no such file or folder"
    if error.errno == errno.ELOOP:
        return "a link that leads back to itself through other links (a loop), to no file"
    return f"cannot read it ({error.strerror or error})"


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except (OSError, ValueError):
        return False


def _folder_units(folder: Path) -> list[InputUnit]:
    """The files of a folder and its subfolders in name order; hidden ones, READMEs and sidecars left out,
    and so are the files of an analysis written into the folder (``analyze --out`` inside the corpus:
    its ``analysis.json`` and ``labels.parquet`` would be read back as articles)."""
    units: list[InputUnit] = []
    analyses: dict[Path, bool] = {}
    marked: dict[Path, bool] = {}
    pages: dict[Path, str | None] = {}
    exports: set[Path] = set()
    entries, unlisted = _folder_entries(folder)
    if folder in unlisted:
        return [InputUnit(str(folder), "problem", unlisted[folder])]
    for path in entries:
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path in unlisted:
            units.append(InputUnit(str(path), "problem", unlisted[path]))
            continue
        if _written_by_analyze(path, folder, analyses):
            continue
        skipped = _not_input_folder(path, folder, marked, pages)
        if skipped is not None:
            if skipped[0] not in exports:  # said once per folder, not once per chart or image
                exports.add(skipped[0])
                units.append(InputUnit(str(skipped[0]), "problem", skipped[1]))
            continue
        unit = _folder_entry_unit(path)
        if unit is not None:
            units.append(unit)
    return units or [InputUnit(str(folder), "problem", _NOTHING_TO_READ)]


def _folder_entries(folder: Path) -> tuple[list[Path], dict[Path, str]]:
    """Every file and folder below ``folder`` in name order (as ``rglob("*")`` lists them: links to folders
    listed, not entered; hidden folders are not entered), and why each folder that cannot be listed cannot.

    ``rglob`` passed over a folder it may not list (no read permission) without a word, its files lost.
    """
    entries: list[Path] = []
    unlisted: dict[Path, str] = {}
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                found = list(listing)
        except OSError as error:
            unlisted[current] = f"cannot list the folder ({error.strerror or error}), so its files were not read"
            if isinstance(error, PermissionError):
                unlisted[current] += " (the user running Parallax needs read and execute permission on it)"
            continue
        for entry in found:
            entries.append(current / entry.name)
            try:
                enter = entry.is_dir(follow_symlinks=False) and not entry.name.startswith(".")
            except OSError:
                enter = False
            if enter:
                pending.append(current / entry.name)
    return sorted(entries), unlisted


# What ``analyze --out`` writes in its folder (either engine, and older versions), and what marks the folder.
_ANALYSIS_ENTRIES = ("analysis.duckdb", "analysis.files", "analysis.json", "vectors.npy")
_RAY_ENTRIES = ("shards", "labels.parquet")
_ANALYSIS_MARKERS = (".parallax.lock", "analysis.duckdb")


def _written_by_analyze(path: Path, root: Path, analyses: dict[Path, bool]) -> bool:
    """Whether ``path`` is, or is inside, an entry an analysis wrote in a folder between ``root`` and it."""
    for holder in (path.parent, *path.parent.parents):
        entry = path.relative_to(holder).parts[0]
        if entry in _ANALYSIS_ENTRIES + _RAY_ENTRIES or entry.startswith(("analysis.duckdb.", "analysis.files.")):
            if holder not in analyses:
                analyses[holder] = any((holder / marker).is_file() for marker in _ANALYSIS_MARKERS)
            if analyses[holder]:
                return True
        if holder == root:
            return False
    return False


def _export_folder(path: Path, root: Path, marked: dict[Path, bool]) -> Path | None:
    """The folder ``export`` wrote that holds ``path`` (it holds ``EXPORT_MARKER``), up to ``root``, or None;
    ``marked`` caches the answer for each folder looked at."""
    for holder in (path.parent, *path.parent.parents):
        if holder not in marked:
            marked[holder] = (holder / EXPORT_MARKER).is_file()
        if marked[holder]:
            return holder
        if holder == root:
            return None
    return None


def _not_input_folder(
    path: Path, root: Path, marked: dict[Path, bool], pages: dict[Path, str | None]
) -> tuple[Path, str] | None:
    """(the folder between ``root`` and ``path`` whose files are not inputs, why), or None: charts ``export``
    wrote, or what a browser saved with a web page."""
    export = _export_folder(path, root, marked)
    if export is not None:
        return export, _EXPORTED
    return _saved_page_resources(path, root, pages)


# The folder a browser saves a "complete" web page's images, scripts, styles and frames in, beside the page:
# NAME_files for NAME.html in English (Chrome, Firefox, Edge), translated in other languages.
_RESOURCE_FOLDER_RE = re.compile(r"^(.+?)(_files|-Dateien|_archivos|_fichiers|_file|_bestanden|_arquivos|-filer)$")


def _saved_page_resources(path: Path, root: Path, pages: dict[Path, str | None]) -> tuple[Path, str] | None:
    """(the resource folder of a saved web page that holds ``path``, why it is not read), or None; ``pages``
    caches the page file found beside each folder looked at.

    Its .html files are the page's frames (adverts, embedded posts, comment widgets): they were read as articles
    of their own, and its hundreds of images and scripts each named "unsupported", beside the page's one article.
    """
    for holder in path.parents:
        if holder == root or root not in holder.parents:
            return None
        if holder not in pages:
            match = _RESOURCE_FOLDER_RE.match(holder.name)
            names = (match[1] + ".html", match[1] + ".htm") if match else ()
            pages[holder] = next((name for name in names if (holder.parent / name).is_file()), None)
        if pages[holder]:
            return (
                holder,
                f"the images, scripts and frames a browser saved with the page {pages[holder]}, not articles; skipped",
            )
    return None


def _folder_entry_unit(path: Path) -> InputUnit | None:
    """The unit of one entry of a folder, or None when it is not an input of its own."""
    if not_utf8_name(str(path)) and (path.is_symlink() or not path.is_dir()):  # a folder's files are named below it
        return InputUnit(shown_name(str(path)), "problem", _NOT_UTF8_NAME)
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError) as error:
        return InputUnit(str(path), "problem", f"{_stat_problem(path, error)}; skipped")
    if stat.S_ISDIR(mode):
        if _is_link(path):  # a linked folder is listed but not entered
            message = "a link to a folder, not followed; give that folder as an input to read it"
            return InputUnit(str(path), "problem", message)
        return None
    if not stat.S_ISREG(mode):  # a FIFO would block the reader, a device never ends
        return InputUnit(str(path), "problem", not_regular(mode))
    if path.name.lower() == "readme.md" or system_file(path.name):
        return None
    maildir = maildir_place(path)
    if maildir is not None:  # a message of a Maildir, read as .eml; not one being delivered (tmp/), nor the server's
        return InputUnit(str(path), "file") if maildir == "message" else None
    if path.name.endswith("~") or path.suffix.lower() in _BACKUP_SUFFIXES:
        message = "an editor's backup copy of a file, not an input; skipped (rename it to read it)"
        return InputUnit(str(path), "problem", message)
    if path.suffix.lower() in TABLE_SUFFIXES and is_sidecar(path):
        # A sidecar that cannot be used, or one read another way than written, is said; else it is not an input.
        problem = sidecar_problem(path) or headerless_sidecar_problem(path) or "; ".join(sidecar_notes(path))
        return InputUnit(str(path), "problem", problem) if problem else None
    return _file_unit(str(path), content_suffix(path.name), "file")


# Files the operating system or an office program leaves in folders, skipped as hidden files are: Windows'
# thumbnail cache and folder settings, the download mark WSL and some copies keep as NAME:Zone.Identifier, and
# Office's lock file of an open document (~$name.docx). Named, they were "unsupported" (Thumbs.db "a database").
_SYSTEM_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r", "_success"})  # _SUCCESS: Spark's mark
_BACKUP_SUFFIXES = frozenset({".bak", ".orig", ".swp"})


def maildir_place(path: Path) -> str | None:
    """What a file of a Maildir folder is (a mail client's or server's: Thunderbird's, Dovecot's, mutt's, an
    offlineimap copy): "message" for one in its ``cur/`` or ``new/``, read as an .eml file is although its name
    (``1711962000.M1P2.host:2,S``) gives no type; "other" for one being delivered (``tmp/``) or the server's own
    (``dovecot-uidlist``); None for a file of any other folder."""
    holder = path.parent
    if holder.name in _MAILDIR_PARTS and all((holder.parent / part).is_dir() for part in _MAILDIR_PARTS):
        return "other" if holder.name == "tmp" else "message"
    if path.name.startswith(_MAILDIR_FILES) and all((holder / part).is_dir() for part in _MAILDIR_PARTS):
        return "other"
    return None


_MAILDIR_PARTS = ("cur", "new", "tmp")
_MAILDIR_FILES = ("dovecot", "courier", "maildirfolder", "subscriptions", "maildirsize")


def system_file(name: str) -> bool:
    """Whether a file name is one the operating system or an office program makes, not a user's file."""
    lowered = name.lower()
    return (
        lowered in _SYSTEM_NAMES
        or lowered.endswith(":zone.identifier")
        or lowered.startswith(("~$", "_committed_", "_started_"))  # Databricks' marks beside Spark's part files
    )


def _file_unit(location: str, suffix: str, kind: str) -> InputUnit:
    """A file to read, or a problem unit when its type is not read (a file of no type is read to tell)."""
    if suffix.lower() not in SUPPORTED_SUFFIXES and suffix and not nameless_gzip(location):
        return InputUnit(location, "problem", f"{unsupported_type(suffix)}; skipped ({SUPPORTED_NAMES})")
    return InputUnit(location, kind)


def _storage_units(uri: str) -> list[InputUnit]:
    """The files under an object-store or file:// URI (read through pyarrow's filesystems), in name order."""
    scheme = uri.split("://", 1)[0].lower()
    if scheme not in STORAGE_SCHEMES:
        message = (
            f"unsupported address scheme {scheme}://; use a path, http(s)://, s3://, gs://, hdfs://, abfs:// or file://"
        )
        return [InputUnit(uri, "problem", message)]
    try:
        import pyarrow.fs as arrow_fs  # only for object-store inputs

        filesystem, root = arrow_fs.FileSystem.from_uri(uri)
        info = filesystem.get_file_info(root)
        if info.type == arrow_fs.FileType.NotFound:
            return [InputUnit(uri, "problem", "no such file or folder")]
        if info.type == arrow_fs.FileType.File:
            return [InputUnit(uri, "storage")]
        if info.type == arrow_fs.FileType.Unknown:
            return [InputUnit(uri, "problem", _not_regular_in_storage(uri, root))]
        found = filesystem.get_file_info(arrow_fs.FileSelector(root, recursive=True))
    except (OSError, ValueError, ImportError) as error:
        return [InputUnit(uri, "problem", f"cannot list it ({str(error).splitlines()[0][:200]})")]
    kept = (arrow_fs.FileType.File, arrow_fs.FileType.Unknown)  # Unknown: a FIFO, device or socket
    entries = sorted((entry for entry in found if entry.type in kept), key=lambda e: e.path)
    units = [
        unit
        for entry in entries
        if (unit := _storage_entry_unit(uri, root, entry, regular=entry.type == arrow_fs.FileType.File)) is not None
    ]
    return units or [InputUnit(uri, "problem", _NOTHING_TO_READ)]


def _storage_entry_unit(uri: str, root: str, entry: Any, *, regular: bool) -> InputUnit | None:
    """The unit of one file (pyarrow ``FileInfo``) under a listed URI, or None when it is not an input."""
    relative = entry.path[len(root.rstrip("/")) + 1 :]
    if any(part.startswith(".") for part in relative.split("/")) or entry.base_name.lower() == "readme.md":
        return None
    location = f"{uri.rstrip('/')}/{relative}"
    if not regular:
        return InputUnit(location, "problem", _not_regular_in_storage(location, entry.path))
    return _file_unit(location, content_suffix(entry.base_name), "storage")


def _not_regular_in_storage(uri: str, path: str) -> str:
    """The problem of an entry that is neither file nor folder; a local one (file://) says what it is."""
    if uri.lower().startswith("file://"):
        try:
            return not_regular(os.stat(path).st_mode)
        except OSError:
            pass
    return "not a regular file; skipped"
