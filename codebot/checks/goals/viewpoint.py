"""The user's viewpoint, for normalize.py: the user faces the robot across the table, where the front camera stands
(sim/cameras.py), so "behind X" is further from them, towards the robot: the table's top side, as `above` and "top"
mean it; "in front of X" is nearer them: `below`, "bottom"; the back corners are the top ones. Said of a place to put
something, never of leaving something ("leave it behind"); a line running "from the front of the table to the back"
or "away from me" is vertical (LINE_DIRECTION). A "far left corner" stays as said: far could be the back or the
extreme left. The fresh batches s22 and s23, written by sessions that saw no convention, said it this way."""
from __future__ import annotations

import re

_REF_AHEAD = (r"(?!the other\b|each other\b|one another\b)"
              r"(?=(?:the|it|that|this|them|those|these|each|its|one|[a-z]+ (?:block|bowl)s?)\b)")
_TABLE_END = r"(?:side|edge|end)(?: of the table)?|of the table"
VIEWPOINT = [
    # "put the blocks one behind the other": a column (tuning pt1506)
    (r"\b(?:put|place|set|arrange|line up) (the blocks|all the blocks|them) one behind the other\b",
     r"arrange \1 in a column"),
    (rf"\b(?:right |just |directly |straight )?behind {_REF_AHEAD}", "above "),
    (rf"\b(?:right |just |directly |straight )?in front of {_REF_AHEAD}", "below "),
    (rf"\bon the (?:far|back) side of {_REF_AHEAD}", "above "),
    (rf"\bon the (?:near|front) side of {_REF_AHEAD}", "below "),
    (r"\b(?:back|rear) (left|right)(?: hand)? corner\b", r"top \1 corner"),
    (r"\b(?:front|near) (left|right)(?: hand)? corner\b", r"bottom \1 corner"),
    (rf"\b(to|at|on|along|by|near|towards?|against|over to|up to) the (?:far|back|rear) (?:{_TABLE_END})\b",
     r"\1 the top side"),
    (rf"\b(to|at|on|along|by|near|towards?|against|over to|down to) the (?:near|front) (?:{_TABLE_END})\b",
     r"\1 the bottom side"),
    # a gloss of the direction just read: "behind the red bowl, further away from me", "(towards me)"
    (r"(\babove\b[^,;?]*?),? \(?(?:(?:further|farther|more)(?: away)?|away) from me(?: than (?:the|it)\b[a-z ]*)?\)?"
     r"(?:,? i mean)?(?=[.!?]*$|[,;])", r"\1"),
    (r"(\bbelow\b[^,;?]*?),? \(?(?:(?:nearer|closer) to|towards?) me(?: than (?:the|it)\b[a-z ]*)?\)?"
     r"(?:,? i mean)?(?=[.!?]*$|[,;])", r"\1"),
    # "above the cyan block, I mean further up the table from it", "above as in further up the table, not on top of
    # it", "(on the table, not stacked on it)": the planar sense `above` already has (tuning pt1474, pt1563, pt1632)
    *[(rf"(\b{side} (?:it|the [a-z]+ (?:block|bowl))),? (?:-+ )?(?:i mean |as in |like |that is,? |{side} as in )?"
       rf"(?:(?:further|farther|more|{comparative}) )?{way} the table(?: (?:from|than) (?:it|the [a-z]+ "
       r"(?:block|bowl)))?(?:,? not (?:on top of it|stacked on it|on it|on top))?(?=[.!?]*$|[,;])", r"\1")
      for side, comparative, way in (("above", "higher", "up"), ("below", "lower", "down"))],
    (r"(\babove (?:it|the [a-z]+ (?:block|bowl))),? \(?on the table,? not (?:stacked )?on (?:top of )?it\)?", r"\1"),
    (r"^looking down (?:on|at) the table,? ", ""),
    (r"(\bbelow\b[^?]*)\? (?:nearer|closer) to me,? i mean\.?$", r"\1?"),
    (r"(\babove\b[^?]*)\? (?:further|farther) (?:away )?from me,? i mean\.?$", r"\1?"),
]
# A line's direction as the user sees it: "a column running from the front of the table to the back", "line them up
# going away from me": up and down the table (vertical), said only of a line.
_NEAR_END = r"(?:the )?(?:front|near (?:edge|side|end))(?: of the table)?"
_FAR_END = r"(?:the )?(?:back|far (?:edge|side|end))(?: of the table)?"
LINE_DIRECTION = re.compile(rf"(?<!\band),? (?:(?:that )?(?:runs|goes|points|heads|running|going|pointing|heading"
                            rf"|stretching) )?(?:straight )?(?:from {_NEAR_END} to {_FAR_END}"
                            rf"|from {_FAR_END} to(?:wards?)? (?:{_NEAR_END}|me)|(?:from )?front to back"
                            rf"|(?:from )?back to front|away from me"
                            rf"|towards? me|up the table|down the table)(?:,? (?:from )?front to back)?\b"
                            rf"(?! and down\b)")  # "up and down the table" is read as it is
LINE_WORDS = re.compile(r"\b(?:lines?|lined|column|columns|row|rows)\b")


def line_direction(text: str, notes: list[str]) -> str:
    """`text` with a line's direction said as the parser reads it: dropped after "column", else "vertically"."""
    said = LINE_DIRECTION.search(text) if LINE_WORDS.search(text) else None
    if not said:
        return text
    column = re.search(r"\bcolumns?\b", text) is not None
    notes.append(f"'{said.group(0).strip(' ,')}' → {'a column' if column else 'vertically'}")
    return LINE_DIRECTION.sub("" if column else " vertically", text, count=1)
