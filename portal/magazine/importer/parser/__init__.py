"""Parser for plain-text extractions of back issues of 《信用浙江》.

Pure Python (stdlib only), so it can be tested and reused without Django; the
Django importer turns a :class:`ParsedIssue` into pages.

The text is a PDF extraction: a cover, sometimes an inside-cover (封二) article
and an untitled 卷首语 before the masthead, the masthead, the contents
(``Contents | 目录``), then the articles, each starting with its title. Line
breaks inside paragraphs are page-break artefacts. The parser anchors every
contents entry to its title line in the text and cuts the text between anchors
into articles. Every contents entry ends up either as a :class:`ParsedArticle`
or as an :class:`UnplacedEntry`, never silently dropped.

Modules, in the order the parser uses them: ``source`` (numbered lines, warnings),
``contents``, ``masthead`` (issue number and masthead), ``placement`` (entries → title
lines), ``regions`` (text between titles), ``articles`` (one article: head, ``bylines``,
``blocks``); ``text`` and ``patterns`` hold the shared text helpers and expressions;
``model`` the results; ``issue`` runs the steps.
"""

from .issue import parse_issue
from .model import (
    Block,
    IssueFormatError,
    Masthead,
    ParsedArticle,
    ParsedAuthor,
    ParsedColumn,
    ParsedIssue,
    UnplacedEntry,
)
from .text import match_key

__all__ = [
    "Block",
    "IssueFormatError",
    "Masthead",
    "ParsedArticle",
    "ParsedAuthor",
    "ParsedColumn",
    "ParsedIssue",
    "UnplacedEntry",
    "match_key",
    "parse_issue",
]
