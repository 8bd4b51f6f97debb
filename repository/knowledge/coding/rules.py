"""The numbers of the suggestion rules (data only): how many mentions make a suggestion, in which documents."""

#: Documents shorter than this (in words) need a single mention of a place or topic.
SHORT_DOC_WORDS = 300
#: Below this many words a single mention of a topic is enough; from LONG_DOC_WORDS on, three are needed.
TINY_DOC_WORDS = 60
LONG_DOC_WORDS = 1000
#: In a short document, a place named once is dropped when another place scores this many times more.
PASSING_MENTION_RATIO = 4
#: Mentions of a place needed in a longer document (unless in the title or a large share of place mentions).
LOCATION_MIN_COUNT_LONG = 2
#: A place that makes up at least this share of all place mentions is suggested even if named once.
LOCATION_MIN_SHARE = 0.15
#: Only the start of very long texts is read (about 1 s per 150,000 characters).
MAX_TEXT_CHARS = 300_000
#: Score a doc_type needs to be suggested.
DOC_TYPE_MIN_SCORE = 4
#: Facets matched on topic keywords.
TOPIC_FACETS = ("sector", "theme", "population")
#: How many characters of the text count as its "head" (the first lines) for doc_type cues.
HEAD_CHARS = 400
TITLE_BONUS = 3
