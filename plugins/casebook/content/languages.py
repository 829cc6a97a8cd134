"""The languages of the knowledge base: Dutch first (the default site at ``/``)."""

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
