"""Paragraphs of plain text without reportlab's markup parser: the same Paragraph for less CPU (issue 17).

`Paragraph(text, style)` runs every text through reportlab's ParaParser (an `html.parser.HTMLParser`),
~0.1 ms a paragraph, ~150 paragraphs for `kiosk apply`'s three PDFs. Almost all of them are plain: a
value escaped by `forms.documents.text.to_markup` holds markup only for a `&`, `<` or `>` (as entities),
a newline (``<br/>``) or a rare character (a ``<font>`` run), and static template text none at all.
For a text holding neither ``<`` nor ``&``, what the parser gives is fixed: the text cleaned by
reportlab's `cleanBlockQuotedText`, in one fragment whose attributes come from the style alone. So
`plain_paragraph` parses one sample text per style, once, and gives each plain text a copy of that
fragment with its own text (and its own lists, as the parser makes new ones per paragraph), handed to
`Paragraph(..., frags=...)`, reportlab's own way to skip the parse. Anything else, or an empty text,
goes through the parser as before. tests/unit/forms/test_plain_paragraphs.py checks the result equals
the parser's, attribute by attribute.

Styles are keyed by identity: a style must not be changed after its first paragraph (the documents'
styles, `forms.documents.layout.styles`, never are).
"""

from __future__ import annotations

import threading

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paragraph import Paragraph, textTransformFrags
from reportlab.platypus.paraparser import ParaFrag

#: Any text the parser turns into one fragment (the fragment is the same for every plain text).
_SAMPLE = "x"
_lock = threading.Lock()
#: id(style) -> (style, its plain-text fragment); the style is kept, so its id is not reused
_templates: dict[int, tuple[ParagraphStyle, ParaFrag]] = {}


def _template(style: ParagraphStyle) -> ParaFrag | None:
    entry = _templates.get(id(style))
    if entry is not None and entry[0] is style:
        return entry[1]
    frags = Paragraph(_SAMPLE, style).frags
    if len(frags) != 1 or getattr(frags[0], "text", None) != _SAMPLE or frags[0].__dict__.get("cbDefn"):
        return None  # a style the parser treats otherwise: no fast path for it
    with _lock:
        _templates[id(style)] = (style, frags[0])
    return frags[0]


def is_plain(markup: str) -> bool:
    """True when reportlab's parser would see no tag, entity or character reference in `markup`."""
    return "<" not in markup and "&" not in markup


def plain_paragraph(markup: str, style: ParagraphStyle) -> Paragraph:
    """`Paragraph(markup, style)`, without the parser when `markup` is plain (see the module's docstring)."""
    if not is_plain(markup):
        return Paragraph(markup, style)
    text = rl_paragraph.cleanBlockQuotedText(markup)
    template = _template(style) if text else None
    if template is None:
        return Paragraph(markup, style)
    frag = template.clone(text=text)
    for name, value in vars(template).items():
        if type(value) is list:
            setattr(frag, name, list(value))
    frags = [frag]
    textTransformFrags(frags, style)
    return Paragraph(text, style, frags=frags)
