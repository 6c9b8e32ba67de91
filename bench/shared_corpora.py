"""Where the benches find the shared corpora (BASIL, ECB+ dev), from the main checkout and from a worktree alike."""

from __future__ import annotations

import os
from pathlib import Path

# $PARALLAX_SHARED, else beside the checkout (ROOT/../shared/corpora, as /work/main has them), else
# /work/shared/corpora, where a worktree under /work/wt/ finds them: its parent holds no shared/, and a bench that
# read ROOT/../shared analysed an empty corpus there without a word (load_corpus's problem went unread).
_BESIDE = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
SHARED = Path(os.environ.get("PARALLAX_SHARED") or (_BESIDE if _BESIDE.is_dir() else "/work/shared/corpora"))
BASIL_ARTICLES = SHARED / "basil" / "articles"
