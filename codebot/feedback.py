"""What happened in a run, as text for the LLM and the person: the error with its program line,
the primitive call log, safety violations, the verdict with its reasons, and a scene diff."""
from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from codebot.sandbox.result import ProgramResult

MOVE_EPS_M = 0.01
MAX_LOG_LINES = 25


@dataclass
class Outcome:
    """The judged result of one program run."""

    success: bool
    reason: str
    source: str  # "checker" (the sim server's verdict) | "unchecked" | "none" (the run itself failed)
    details: dict[str, Any] = field(default_factory=dict)  # "checker": which one, e.g. "template checker (pick_place)"

    def to_dict(self) -> dict[str, Any]:
        return {"success": self.success, "reason": self.reason, "source": self.source, "details": self.details}


# Control characters (C0, C1, Unicode line/paragraph separators) in text a program chose would let it
# write lines of its own into the report, e.g. a forged "Verdict (...)" line; they are escaped.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: Any, limit: int = 500) -> str:
    """Program-supplied text as one bounded line: control characters escaped, length capped."""
    text = text if isinstance(text, str) else str(text)
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1] if m.group() not in "\n\r\t" else
                        {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[m.group()], text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def scene_diff(before: list[dict], after: list[dict], eps: float = MOVE_EPS_M) -> list[str]:
    """One line per object that moved more than `eps`, appeared or disappeared."""
    b = {o["name"]: o for o in before}
    a = {o["name"]: o for o in after}
    lines = []
    for name, old in b.items():
        new = a.get(name)
        if new is None:
            lines.append(f"{name} is no longer seen (was at {_xyz(old['position'])})")
            continue
        dist = math.dist(old["position"], new["position"])
        if dist > eps:
            lines.append(f"{name} moved {dist * 100:.0f} cm: {_xyz(old['position'])} -> {_xyz(new['position'])}")
    for name, new in a.items():
        if name not in b:
            lines.append(f"{name} appeared at {_xyz(new['position'])}")
    return lines


def _xyz(p) -> str:
    return "(" + ", ".join(f"{float(v):.2f}" for v in p) + ")"


def _short(value: Any, limit: int = 80) -> str:
    return one_line(repr(value), limit)


def call_log_lines(call_log: list[dict], limit: int = MAX_LOG_LINES) -> list[str]:
    out = []
    entries = call_log if len(call_log) <= limit else call_log[: limit - 5] + call_log[-5:]
    for i, entry in enumerate(entries):
        if len(call_log) > limit and i == limit - 5:
            out.append(f"  ... {len(call_log) - limit} more calls ...")
        args = ", ".join(_short(a, 40) for a in entry.get("args", []))
        if entry.get("kwargs"):
            args += (", " if args else "") + ", ".join(f"{k}={_short(v, 30)}" for k, v in entry["kwargs"].items())
        if "error" in entry:
            err = entry["error"]
            tail = f"raised {err.get('type')}: {err.get('message')}"
        elif entry.get("result") is None:
            tail = "ok"
        else:
            tail = f"-> {_short(entry['result'])}"
        out.append(f"  {one_line(entry['name'], 80)}({args}) {one_line(tail, 300)}")
    return out


def moved_again_notes(call_log: list[dict]) -> list[str]:
    """A note for each object the program moved more than once: a small model often puts one block in every bowl
    in turn, and reads the failed check as if the first place still held."""
    moves: dict[str, int] = {}
    for entry in call_log:
        if entry.get("name") == "put_first_on_second" and entry.get("args") and "error" not in entry \
                and isinstance(entry["args"][0], str):
            moves[entry["args"][0]] = moves.get(entry["args"][0], 0) + 1
    return [f"Note: {one_line(name, 60)} was moved {n} times; each move takes it away from where the one before put "
            f"it, so only its last place counts" for name, n in moves.items() if n > 1]


def selector_notes(code: str, referents: Iterable[tuple[str, str]]) -> list[str]:
    """A note for each of the goal's selectors the program uses as a string, as if it named an object
    ('nth(blocks, 1, left)'): a small model copies a selector's text from a spec it was shown (a `# where` line,
    a verdict). The note names what the selector picks on this scene."""
    try:
        strings = {" ".join(n.value.split()) for n in ast.walk(ast.parse(code))
                   if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    except SyntaxError:
        return []
    return [f"Note: {one_line(sel, 100)!r} is how the goal picks an object, not an object's name; on this scene it "
            f"is {one_line(name, 60)!r}: use {one_line(name, 60)!r}" for sel, name in referents
            if " ".join(sel.split()) in strings]


def reversed_notes(call_log: list[dict], wanted: Iterable[tuple[str, str]]) -> list[str]:
    """A note for each `put_first_on_second(B, A)` the program made where the goal asks for on(A, B) or in(A, B)
    (`wanted`: referents.placed_pairs) and not the other way: a small model follows the instruction's word order ("a
    tower of the brown and red blocks, brown on the bottom") and reads the measured gap as a near miss (tuning
    pt509)."""
    wanted = set(wanted)
    notes = []
    for entry in call_log:
        args = entry.get("args") or []
        if entry.get("name") != "put_first_on_second" or len(args) != 2 or not all(isinstance(a, str) for a in args):
            continue
        pair = (args[1], args[0])
        if pair in wanted and tuple(args) not in wanted:
            note = (f"Note: put_first_on_second({args[0]!r}, {args[1]!r}) put the {args[0]} on the {args[1]}; the "
                    f"goal has the {pair[0]} on the {pair[1]}: put_first_on_second({pair[0]!r}, {pair[1]!r})")
            notes += [note] if note not in notes else []
    return notes


def uncalled_notes(code: str) -> list[str]:
    """A note for each function the program defines at its top level and never calls: a small model wraps its steps
    in `def pick_and_place(): ...` and stops there, and the run's "Primitive calls: none" does not say why
    (cap-tabletop template 7, c811ab9)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return [f"Note: the program defines {one_line(node.name, 60)}() but never calls it, so its body never ran: call "
            f"it, or write its steps at the top level" for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name not in used]


_TOO_MANY = re.compile(r"^(\w+)\(\): too many positional arguments; it is called as \1\((.*)\)")


def _parameters(signature: str) -> list[str]:
    """The parameter texts of a signature's bracket contents, split at commas outside brackets."""
    parts, depth, current = [], 0, ""
    for ch in signature:
        depth += 1 if ch in "([{" else -1 if ch in ")]}" else 0
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [p.strip() for p in parts + [current] if p.strip() and p.strip() not in ("*", "/")]


def arity_notes(result: ProgramResult, goal: str | None = None) -> list[str]:
    """For a call to a one-parameter primitive given several arguments (`place('orange bowl', get_location('top
    side'))`), each call the program could have meant, one argument each: a small model repeats such a call after
    the bare TypeError (cap-tabletop template 6 used its three attempts on one program), but picks from options,
    the first one offered (template 6 again, at 384ba07): an option naming what the `goal` line names comes first."""
    err = result.error or {}
    match = _TOO_MANY.match(str(err.get("message") or ""))
    line = err.get("source_line")
    if err.get("type") != "TypeError" or not match or not isinstance(line, str):
        return []
    name, params = match.group(1), _parameters(match.group(2).rsplit(")", 1)[0])
    if len(params) != 1:
        return []
    tree = None
    for text in (line.strip(), line.strip() + "\n    pass"):  # a line that opens a block: `if ...:`
        try:
            tree = ast.parse(text)
            break
        except SyntaxError:
            continue
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name and len(node.args) > 1:
            numbers = [_is_number(arg) for arg in node.args]
            if all(numbers) and "ndarray" in params[0]:  # move_to(x, y, z): one point
                options = [f"{name}(np.array([{', '.join(ast.unparse(arg) for arg in node.args)}]))"]
            else:
                options = [f"{name}({ast.unparse(arg)})" for arg, number in zip(node.args, numbers) if not number]
                options.sort(key=lambda option: not any(re.search(rf"\b{re.escape(said)}\b", goal or "")
                                                        for said in re.findall(r"'([^']+)'", option)))
            return [one_line(f"Note: {name}() takes one argument ({params[0]}), the call gave {len(node.args)}: "
                             f"write {' or '.join(f'`{o}`' for o in options)}", 600)] if options else []
    return []


def program_notes(code: str, result: ProgramResult, success: bool, referents: Iterable[tuple[str, str]] = (),
                  wanted: Iterable[tuple[str, str]] = (), goal: str | None = None) -> list[str]:
    """Every note one run of a program gets after its error line in the report: a call given too many arguments (its
    options ordered by the `goal` line), a selector used as a name (`referents`: referents.resolved_referents), a
    function never called, and, when the check failed, a move the other way round from the goal (`wanted`:
    referents.placed_pairs)."""
    notes = arity_notes(result, goal) + selector_notes(code, referents) + uncalled_notes(code)
    return notes + (reversed_notes(result.call_log, wanted) if not success else [])


def _is_number(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def error_text(result: ProgramResult) -> str | None:
    err = result.error
    if not err:
        return None
    where = f" at line {err['line']}" if err.get("line") else ""
    src = f": `{one_line(err['source_line'].strip(), 200)}`" if err.get("source_line") else ""
    kind = f" ({one_line(err['kind'], 60)})" if err.get("kind") and err.get("kind") != err.get("type") else ""
    head = {"rejected": "The program was rejected before running",
            "timeout": "The program timed out", "crash": "The worker process crashed",
            "memory_limit": "The program ran out of memory", "cpu_limit": "The program used too much CPU time",
            "call_budget": "The program made too many primitive calls",
            "recursion_limit": "The program recursed too deeply",
            "protocol_violation": "The program process broke the sandbox protocol"}.get(result.exit_reason, "Error")
    return f"{head}{where}{src}\n  {one_line(err.get('type'), 80)}{kind}: {one_line(err.get('message'), 600)}"


def report(result: ProgramResult, outcome: Outcome, turn: int | None = None, notes: Iterable[str] = ()) -> str:
    """The feedback text one turn produces (what the next prompt and the terminal show); `notes` (program_notes)
    follow the error."""
    lines = []
    status = "SUCCESS" if outcome.success else "FAILED"
    # A failed check's own reason (the clause and its measured values) leads: it is what to fix.
    why = f" ({one_line(outcome.reason, 300)})" if not outcome.success and outcome.source in ("checker", "goal spec") \
        and result.ok else ""
    lines.append(f"Result{f' of attempt {turn}' if turn else ''}: {status}{why}")
    err = error_text(result)
    if err:
        lines.append(err)
    lines.extend(notes)
    if result.blocked:
        lines.append("Blocked operations: " + ", ".join(one_line(b, 120) for b in result.blocked[:5]))
    if result.call_log:
        lines.append(f"Primitive calls ({len(result.call_log)}):")
        lines.extend(call_log_lines(result.call_log))
        lines.extend(moved_again_notes(result.call_log))
    elif result.exit_reason not in ("rejected",):
        lines.append("Primitive calls: none")
    if result.said:
        lines.append("Said: " + " | ".join(one_line(t, 200) for t in result.said[:5]))
    if result.printed:
        lines.append("Printed: " + " | ".join(one_line(t, 200) for t in result.printed[:5]))
    lines.append("Safety violations: " + ("; ".join(one_line(v, 300) for v in result.safety_violations)
                                          if result.safety_violations else "none"))
    lines.append(f"Verdict ({outcome.details.get('checker') or outcome.source}): {one_line(outcome.reason, 600)}")
    if result.objects_before or result.objects_after:
        diff = scene_diff(result.objects_before, result.objects_after)
        lines.append("Scene changes: " + ("; ".join(diff) if diff else "nothing moved"))
    return "\n".join(lines)


def scene_summary(objects: list[dict]) -> str:
    """Object names and positions (for the person and the trace)."""
    return "\n".join(f"{o['name']} at {_xyz(o['position'])}" for o in objects)
