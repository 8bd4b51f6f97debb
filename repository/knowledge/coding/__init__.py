"""Code suggestions from a document's text, and alias look-up for query expansion.

Pure package: text and a :class:`~repository.knowledge.taxonomy.Taxonomy` in, suggestions out (no Flask, no database).

:func:`suggest_codes` returns ``{facet_id: [{"code": ..., "reason": ...}, ...]}``, strongest first, only for
facets with suggestions (facets in taxonomy order). How each facet is suggested:

* **location**: gazetteer matching of every label and alias (English and Arabic) of the location codes, on whole
  words (``Ghat`` does not match inside ``Ghatwa``). Words are compared after normalisation: case, Latin accents
  and Arabic harakat/tatweel are ignored, hamza forms and ة/ه, ى/ي are folded (:func:`indexer.analysis
  .normalize_word`), an English plural ``s`` is ignored. An Arabic name may carry the prefixes و ف ب ل ك (and
  their pairs) and the article ال (بسبها, ومصراتة, للكفرة; names of three letters take only و and ب, since
  ل + غات is لغات, "languages"); a Latin name may be written without its article (``Al Jabal Al Akhdar`` also
  matches ``Jabal Al Akhdar``). Acronym aliases (two capitals or more: ``LBY``) only match words written with
  two capitals or more. A few names that are also ordinary words (East, West, South, الشرق, الواحات, ...) are
  never matched alone. When one name belongs to a code and to its ancestor (Sebha the district and the city),
  the ancestor is suggested: it is the code the name usually means, and its descendants stay available.

  Which places are kept: any place named in the title; in a document of fewer than :data:`SHORT_DOC_WORDS`
  words, any place named once or more, except a *passing mention* (named once, unrelated by hierarchy to the
  places named more often, and at least :data:`PASSING_MENTION_RATIO` times weaker than the strongest place); in
  a longer document, places named :data:`LOCATION_MIN_COUNT_LONG` times or more, or making up
  :data:`LOCATION_MIN_SHARE` of all place mentions. A country is dropped when a place inside it is kept (the
  hierarchy implies it).
* **doc_type**: title and structure cues. A label or alias of the type in the title weighs most (``Minutes``,
  ``محضر اجتماع``, ``Terms of reference``), then in the first :data:`HEAD_CHARS` characters of the text
  (``Minutes of the meeting held on ...``); the type's ``keywords`` (``taxonomy.yaml``) count more when they open
  a short line or a line ending in a colon, as headings do (``Agenda:``, ``Participants``, ``Action points``,
  ``الحضور``), than elsewhere. At most two types are suggested, each with a score of at least
  :data:`DOC_TYPE_MIN_SCORE` and half the best score.
* **sector, theme, population**: keyword rules kept in ``taxonomy.yaml``: the labels, aliases and ``keywords`` of
  each code are counted, compared after the search stemmer (Porter for English, light Snowball for Arabic: so
  نازحة, النازحين and نازحون all count for النازحين; ``displaced`` and ``displacement`` are one cue). Single
  words too common to mean anything alone (``access``, ``solutions``, ``protection``, ...) are not cues. A code
  is suggested when it is in the title or reaches a count that grows with the document's length
  (:func:`_topic_min_count`: 1 below :data:`TINY_DOC_WORDS` words, 2 below :data:`LONG_DOC_WORDS`, then 3).

Within places and within topics, matches do not overlap: the longest name wins (``child protection`` is not also
``protection``), but one span can count for several codes that share it (``GBV``: the sector and the theme).
The package: ``tokens`` (words and their keys), ``matcher`` (every name of the taxonomy matched at once),
``suggest`` (the rules per facet), ``rules`` (their numbers), ``accept`` and ``aliases``.
"""

from __future__ import annotations

from repository.knowledge.coding.accept import accept_suggestions
from repository.knowledge.coding.aliases import alias_lookup
from repository.knowledge.coding.rules import DOC_TYPE_MIN_SCORE
from repository.knowledge.coding.rules import HEAD_CHARS
from repository.knowledge.coding.rules import LOCATION_MIN_COUNT_LONG
from repository.knowledge.coding.rules import LOCATION_MIN_SHARE
from repository.knowledge.coding.rules import LONG_DOC_WORDS
from repository.knowledge.coding.rules import MAX_TEXT_CHARS
from repository.knowledge.coding.rules import PASSING_MENTION_RATIO
from repository.knowledge.coding.rules import SHORT_DOC_WORDS
from repository.knowledge.coding.rules import TINY_DOC_WORDS
from repository.knowledge.coding.rules import TITLE_BONUS
from repository.knowledge.coding.rules import TOPIC_FACETS
from repository.knowledge.coding.suggest import suggest_codes

__all__ = [
    "alias_lookup",
    "accept_suggestions",
    "suggest_codes",
    "SHORT_DOC_WORDS",
    "TINY_DOC_WORDS",
    "LONG_DOC_WORDS",
    "PASSING_MENTION_RATIO",
    "LOCATION_MIN_COUNT_LONG",
    "LOCATION_MIN_SHARE",
    "MAX_TEXT_CHARS",
    "DOC_TYPE_MIN_SCORE",
    "TOPIC_FACETS",
    "HEAD_CHARS",
    "TITLE_BONUS",
]
