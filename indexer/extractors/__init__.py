"""Text extractors, one module per format family; :data:`indexer.extract.EXTRACTORS` maps each type to one.

:mod:`~indexer.extractors.base` holds what they share (the result, the error, text normalisation, the collector
that stops a parser early), :mod:`~indexer.extractors.containers` the zip checks of Office and OpenDocument files.
"""
