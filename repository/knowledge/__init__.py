"""What the repository knows, as pure code: file types (sniff), sensitive content (scan), the vocabulary
(taxonomy), coding suggestions (coding), the password policy and what is read off a new text (analysis).

Nothing here imports Flask, the database session or the services; see ARCHITECTURE.md.
"""
