"""Advocacy Hub: approved feeds become share-ready posts, branded cards and an intranet hub.

Data flows one way: config -> fetch -> feeds -> posts -> cards -> site.
"""

__version__ = "0.1.0"
