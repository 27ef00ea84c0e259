"""Everyday speech the phrase parser says again in its own words before it reads a phrasing (phrases.clean_text):
questions and tails after a sentence break ("…? nothing else needs to move", ". any block is fine"), centres said
of a distance, "that brown dish over there", "the little yellow block", a fronted pair ("the yellow block and the
pink block - put them both in …"), goal states of every block ("make sure all the blocks are in …", "could all
the blocks go in … together?"), and an exception said another way ("just don't use the purple one")."""
from __future__ import annotations

import re

from codebot.checks.goals.phrase_refs import COLOR, VERB


def sentence_forms(t: str) -> str:
    """Sentence breaks before a tail the parser reads after a comma; a centre-to-centre distance."""
    # "…? thanks", "…? nothing else needs to move"
    t = re.sub(r"\? (?=(?:thanks|thank you|much appreciated|cheers|ta|nothing else|leave|keep|don't|do not|just that|"
               r"only that)\b)", ", ", t)
    t = re.sub(r"\. (?=any (?:block|one)(?: at all)? (?:will do|is fine|is ok|is okay|works)$)", ", ", t)
    # "…, and after you did that put …, and then you are all finished"; "when you're finished, the cyan block should …"
    t = re.sub(r"\bafter (?:you(?:'ve| have)? (?:did|done|do|finish(?:ed)?) (?:that|this)|that(?:'s| is) done)\b",
               "after that", t)
    t = re.sub(r",? (?:and )?then you(?:'re| are) (?:all )?(?:finished|done)$", "", t)
    t = re.sub(r"^(?:when you(?:'re| are) (?:done|finished)|at the end|in the end),? "
               r"(?=the [a-z]+ (?:block|bowl) should )", "", t)
    # "so its centre is 8 cm left of the red block's centre": the spec measures centres anyway
    t = re.sub(r"\bso (?:that )?its cent(?:re|er) (is|ends up|sits)\b", r"so it \1", t)
    t = re.sub(r"\b(the [a-z]+ (?:block|bowl))'s cent(?:re|er)\b", r"\1", t)
    return t


def spoken_forms(t: str) -> str:
    """Fillers, a fronted pair, goal states of every block and exceptions said another way."""
    # "stick the pink cube in that brown dish over there" / "the little yellow block"
    t = re.sub(rf"\b(in|on|to|near|next to|beside) that ({COLOR} (?:bowl|block))(?: over there| there)?\b",
               r"\1 the \2", t)
    t = re.sub(rf"\bthe (?:little|small|tiny) (?=({COLOR}) (?:block|bowl)\b)", "the ", t)
    # "the yellow block and the pink block - put them both in …" -> "put the yellow block and the pink block in …"
    t = re.sub(rf"^(the {COLOR} block) and (the {COLOR} block)(?:,| -|:) ({VERB}) them(?: both| all)? ",
               r"\3 \1 and \2 ", t)
    t = re.sub(r"\b(every block|all (?:of )?the blocks) (?:rests?|sits?) within (?=(?:either )?the )", r"\1 in ", t)
    t = re.sub(r"^((?:[a-z ]+ )?(?:all (?:of )?the blocks|every block) [a-z ]*\bin the [a-z]+ bowl) together$",
               r"\1", t)
    t = re.sub(r"^(?:ensure|make sure) (?:that )?(every block|all (?:of )?the blocks) (?:is|are) ", r"\1 should be ", t)
    t = re.sub(r"^(?:ensure|make sure) (?:that )?(?=every block |all (?:of )?the blocks )", "", t)
    t = re.sub(r"^(?:can|could) (every block|all (?:of )?the blocks) (?:go|be put) ", r"\1 should go ", t)
    t = re.sub(r",? but (?=(?:keep|leave) the [a-z]+ block out of\b)", " and ", t)
    # "the first two blocks from the left" / "the first and second blocks from the left" -> "the two leftmost blocks"
    t = re.sub(r"\bthe (?:first two|first and second|1st and 2nd) blocks from the (left|right)\b",
               r"the two \1most blocks", t)
    # "at the nearest edge" / "at the farthest corner": of the block itself
    t = re.sub(r"\b(at|on|to|in) the (nearest|closest|farthest|furthest) (edge|side|corner)(?: of the table)?$",
               lambda m: f"{m[1]} the {m[3].replace('edge', 'side')} "
                         f"{'nearest to' if m[2] in ('nearest', 'closest') else 'farthest from'} it", t)
    # an exception said another way: "…, just don't use the purple one", "…, except the cyan one, that one stays out"
    t = re.sub(r",? (?:but |just |only )?(?:don't|do not) use (the [a-z]+ (?:block|one))$", r" except \1", t)
    t = re.sub(r"\b(except (?:for )?the [a-z]+ (?:block|one)),? (?:that one|it) (?:stays|should stay|must stay|"
               r"remains) out(?: of it)?$", r"\1", t)
    t = re.sub(r"\b(send|take|move|carry|whisk) (the (?:[a-z]+ )?(?:block|one)) (?:off|away|over) (?=to )",
               r"\1 \2 ", t)
    return t
