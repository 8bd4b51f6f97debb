"""Models and storage: the database (engine, sessions, write transactions), the models, the schema migrations
and the content-addressed file store. No policy and no web code; see ARCHITECTURE.md.
"""
