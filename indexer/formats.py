"""The document types the repository accepts, by canonical MIME type: one table for the indexer and the sniffer.

:mod:`repository.knowledge.sniff` decides from a file's bytes which of these it is; :mod:`indexer.extract` maps
each to its text extractor. Pure constants, no imports.
"""

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
TXT = "text/plain"
CSV = "text/csv"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"

#: Types whose text may have to be read by OCR (a scanned PDF, a photograph).
OCR_TYPES = frozenset({PDF, PNG, JPEG, TIFF})
