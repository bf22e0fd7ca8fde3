"""The asserted and claimed mentions the whole extractor finds in a text (for extraction tests)."""

from __future__ import annotations

from datetime import date

from sitrep.ingest import article_from_text
from sitrep.schema import Mention, Modality


def reported_mentions(nlp, extractor, text: str, published: date = date(2016, 7, 4)) -> list[Mention]:
    article = article_from_text(text, title="Report", published=published, external_id="t")
    return [m for m in extractor.extract(article, nlp(article.text)) if m.modality in (Modality.ASSERTED, Modality.CLAIMED)]
