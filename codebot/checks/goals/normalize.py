"""Instruction normalisation before template matching: colour and object synonyms mapped to the
scene's vocabulary (crimson→red, cube→block, dish→bowl, tower→stack, 'shares its colour'→matching),
the user's viewpoint mapped onto the table's sides (viewpoint.py: behind → above, in front of → below),
a check for colour words the scene has no object of ("no crimson object in this scene"), and one for
named objects it lacks ("no blue bowl in this scene", where it has a blue block but no blue bowl)."""
from __future__ import annotations

import re

from codebot.checks.goals.viewpoint import VIEWPOINT, line_direction
from codebot.primitives.colors import COLORS
from codebot.primitives.protocols import ObjectInfo

COLOUR_SYNONYMS = {
    "crimson": "red", "scarlet": "red", "ruby": "red", "maroon": "red",
    "azure": "blue", "navy": "blue", "cobalt": "blue", "sapphire": "blue",
    "emerald": "green", "lime": "green", "olive": "green", "jade": "green",
    "amber": "orange", "tangerine": "orange",
    "golden": "yellow", "gold": "yellow", "lemon": "yellow",
    "violet": "purple", "lilac": "purple", "lavender": "purple", "magenta": "purple",
    "rose": "pink", "salmon": "pink",
    "teal": "cyan", "turquoise": "cyan", "aqua": "cyan",
    "chocolate": "brown", "tan": "brown",
    "grey": "gray", "silver": "gray",
}
OBJECT_SYNONYMS = {"cube": "block", "cubes": "blocks", "box": "block", "boxes": "blocks",
                   "brick": "block", "bricks": "blocks", "dish": "bowl", "dishes": "bowls",
                   "basin": "bowl", "basins": "bowls",
                   "piece": "block", "pieces": "blocks", "cup": "bowl", "cups": "bowls",
                   "container": "bowl", "containers": "bowls", "receptacle": "bowl", "receptacles": "bowls",
                   "vessel": "bowl", "vessels": "bowls", "tub": "bowl", "tubs": "bowls", "pot": "bowl", "pots": "bowls",
                   "bin": "bowl", "bins": "bowls"}
# Whole phrases, applied after the word maps, in order (pattern, replacement).
PHRASES = [
    (r"\b(?:build|make|form) (?:a|one) (?:tower|stack|pile) (?:of|out of|from|with|using) "
     r"(?:all (?:of )?the|every|each|all) blocks?\b", "stack all the blocks"),
    (r"\btowers?\b", "stack"),
    (r"\bpile (?:up )?(?:all )?(?:of )?the blocks\b", "stack all the blocks"),
    (r"\bthe bowls? (?:that|which) (?:shares?|has|have) (?:its|their|the same) colou?r\b",
     "the bowls with matching colors"),
    (r"\bbowls? of (?:its|their|the same) (?:own )?colou?r\b", "bowls with matching colors"),
    (r"\bsame colou?r(?:ed)? bowls?\b", "bowls with matching colors"),
    (r"\b(?:every|each)(?: single)? block\b", "all the blocks"),
    # "the gray block and the red block should both be close by the blue bowl" (tuning pt1970)
    (r"\bclose by (?=the )", "close to "),
    (r"\b(should|must|need to|needs to|have to) both (?=(?:be|go|end up)\b)", r"\1 "),
]
# Note-style shorthand and common slips of the keyboard: none is an English word a command would use otherwise.
SHORTHAND = {"blk": "block", "blks": "blocks", "blck": "block", "blcks": "blocks", "bwl": "bowl", "bwls": "bowls",
             "grn": "green", "ylw": "yellow", "yllw": "yellow", "blu": "blue", "prpl": "purple", "pnk": "pink",
             "gry": "gray", "brn": "brown", "brwn": "brown", "orng": "orange", "btm": "bottom", "bttm": "bottom",
             "lft": "left", "rght": "right", "crnr": "corner", "yel": "yellow", "bl": "block", "nxt": "next",
             "teh": "the", "hte": "the", "insdie": "inside", "inisde": "inside"}
_WORD = re.compile(r"[a-z]+")
_NOUNS = ("block", "blocks", "bowl", "bowls")
# words one slip away from a colour that a command says before "block"/"bowl" as themselves
_NOT_SLIPS = {"pick", "this", "that", "same", "each", "next", "last", "glue", "clue", "true", "blur", "gran", "tray",
              "grab", "brow", "plink", "pint", "pine", "link", "sink", "wink", "mink", "rink", "crown", "grown", "grew",
              "clan"}


def one_slip(word: str, target: str) -> bool:
    """Whether `word` is `target` with one letter added, dropped, changed, or two neighbours swapped."""
    if word == target or abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diff = [i for i, (a, b) in enumerate(zip(word, target)) if a != b]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == target[diff[1]]
                                  and word[diff[1]] == target[diff[0]])
    short, long_ = sorted((word, target), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _fix_slips(text: str, notes: list[str]) -> str:
    """Shorthand ("grn blk") and one-letter slips in a colour before a noun ("bluee block") or in the noun after a
    colour ("brown blok"), mapped onto the scene's words; anything else is left as written."""
    text = _map_words(text, SHORTHAND, notes)
    colours = [c for c in COLORS if len(c) >= 4]  # "red" is one slip from "read", "bed", "rod"

    def colour(m):
        word, noun = m.group(1), m.group(2)
        fixed = next((c for c in colours if one_slip(word, c)), None) if word not in _NOT_SLIPS else None
        if fixed:
            notes.append(f"{word} → {fixed}")
        return f"{fixed or word} {noun}"

    def noun(m):
        word = m.group(2)
        fixed = next((n for n in _NOUNS if one_slip(word, n)), None) if word not in _NOUNS else None
        if fixed:
            notes.append(f"{word} → {fixed}")
        return f"{m.group(1)} {fixed or word}"

    def before_slipped_noun(m):  # a slip in each word: "yelow blok" (fresh batch s23 pt1977); the noun pass follows
        word, second = m.group(1), m.group(2)
        fixed = next((c for c in colours if one_slip(word, c)), None) if word not in _NOT_SLIPS else None
        if not fixed or not any(one_slip(second, n) for n in _NOUNS):
            return word
        notes.append(f"{word} → {fixed}")
        return fixed

    text = re.sub(r"\b([a-z]{4,})(?= ([a-z]{4,})\b)", before_slipped_noun, text)
    text = re.sub(r"\b([a-z]{4,}) (blocks?|bowls?|ones?)\b", colour, text)
    return re.sub(rf"\b({'|'.join(COLORS)}) ([a-z]{{4,}})\b", noun, text)
# Colour-like words a user might write that are neither a palette colour nor a synonym.
UNKNOWN_COLOUR_WORDS = ("black", "white", "beige", "indigo", "khaki", "ivory", "fuchsia", "bronze")


def _map_words(text: str, table: dict, notes: list[str]) -> str:
    def sub(m):
        word = m.group(0)
        if word in table:
            notes.append(f"{word} → {table[word]}")
            return table[word]
        return word
    return _WORD.sub(sub, text)


def normalize_instruction(text: str) -> tuple[str, list[str]]:
    """(normalised text, notes on what was mapped). Lower case; meaning-preserving rewrites only."""
    notes: list[str] = []
    out = re.sub(r"\s+", " ", text.strip().lower()).replace("colour", "color")
    out = _map_words(out, COLOUR_SYNONYMS, notes)
    out = _map_words(out, OBJECT_SYNONYMS, notes)
    out = _fix_slips(out, notes)
    for pattern, repl in PHRASES + VIEWPOINT:
        new = re.sub(pattern, repl, out)
        if new != out:
            found = re.search(pattern, out)
            notes.append(f"'{found.group(0)}' → '{found.expand(repl)}'")
            out = new
    return line_direction(out, notes), notes


def colour_words(text: str) -> list[str]:
    """Palette colours, synonyms and unknown colour words the text uses, in order, as written."""
    known = set(COLORS) | set(COLOUR_SYNONYMS) | set(UNKNOWN_COLOUR_WORDS)
    return [w for w in _WORD.findall(text.lower()) if w in known]


def missing_colours(instruction: str, objects: list[ObjectInfo]) -> str | None:
    """A message naming colour words with no object of that colour in the scene (after synonyms),
    or None when every colour the instruction uses is present."""
    present = {o.color for o in objects}
    missing = []
    for word in colour_words(instruction):
        colour = COLOUR_SYNONYMS.get(word, word)
        if colour not in present and word not in missing:
            missing.append(word)
    if not missing:
        return None
    names = ", ".join(sorted(o.name for o in objects)) or "none"
    which = " or ".join(missing)
    return f"no {which} object in this scene (objects: {names})"


_NAMED = re.compile(r"\b(" + "|".join(COLORS) + r") (block|bowl)s?\b")


def missing_objects(normalized: str, objects: list[ObjectInfo]) -> str | None:
    """A message naming the '<colour> block|bowl' objects the normalised instruction names and the scene
    lacks although it has that colour (missing_colours names an absent colour), or None. No check or
    program can be about an object that is not there: a template would judge a bowl it cannot find."""
    present = {o.name for o in objects}
    missing = []
    for colour, kind in _NAMED.findall(normalized.lower()):
        name = f"{colour} {kind}"
        if name not in present and name not in missing:
            missing.append(name)
    if not missing:
        return None
    names = ", ".join(sorted(present)) or "none"
    return f"no {' or '.join(missing)} in this scene (objects: {names})"


def missing_in_scene(instruction: str, normalized: str, objects: list[ObjectInfo]) -> str | None:
    """What the instruction names that the scene lacks: a colour (in its own words), else a named object."""
    return missing_colours(instruction, objects) or missing_objects(normalized, objects)
