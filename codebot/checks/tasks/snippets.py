"""Reference-policy snippets the templates share: Python source over the primitives, run in the same
sandbox as LLM code."""

# Policy snippets (run in the same sandbox as LLM code, over the same primitives).
BLOCKS = "block_names = [n for n in get_obj_names() if n.endswith('block')]\n"
# The block lying in a place (not in a bowl) nearest its point: a tower's base, or a support when the
# place has no free spot (fingers opening beside a block knock it over).
BLOCK_AT_PLACE = """def block_at_place(place, names):
    spot = get_location(place)
    middle = get_location('middle')
    across_x = abs(middle[0] - spot[0]) > 0.01
    across_y = abs(middle[1] - spot[1]) > 0.01
    found = None
    found_d = 1.0
    for name in names:
        pos = get_obj_pos(name)
        dx = abs(pos[0] - spot[0])
        dy = abs(pos[1] - spot[1])
        if pos[2] > 0.025:
            continue
        if across_x and across_y:
            ok = max(dx, dy) <= 0.05
            d = max(dx, dy)
        elif across_x:
            ok = dx <= 0.05 and dy <= 0.14
            d = dx
        else:
            ok = dy <= 0.05 and dx <= 0.14
            d = dy
        if ok and d < found_d:
            found = name
            found_d = d
    return found
"""
# get_location() reports places 5 cm inside the edge; free_spot() measures from the edge and aims a
# block's centre 3-9 cm inside the place, at the candidate spot farthest from other objects (a bowl near a
# corner would catch the fingers).
FREE_SPOT = BLOCK_AT_PLACE + """def free_spot(place, moving, stack_ok=True):
    spot = get_location(place)
    middle = get_location('middle')
    ux = 0.0
    uy = 0.0
    if middle[0] - spot[0] > 0.01:
        ux = 1.0
    if middle[0] - spot[0] < -0.01:
        ux = -1.0
    if middle[1] - spot[1] > 0.01:
        uy = 1.0
    if middle[1] - spot[1] < -0.01:
        uy = -1.0
    spot = [spot[0] - ux * 0.05, spot[1] - uy * 0.05, spot[2]]
    others = []
    bowls = []
    for n in get_obj_names():
        if n != moving:
            pos = get_obj_pos(n)
            pad = 0.065 if n.endswith('bowl') else 0.03
            others.append([pos[0], pos[1], pad])
            if n.endswith('bowl'):
                bowls.append(pos)
    candidates = []
    for a in [0.05, 0.04, 0.07, 0.09, 0.03]:
        for b in [0.05, 0.04, 0.07, 0.09, 0.03, 0.0, -0.05, 0.1, -0.1]:
            if ux != 0 and uy != 0:
                if 0 < b < 0.095:
                    candidates.append([spot[0] + ux * a, spot[1] + uy * b])
            elif ux != 0:
                candidates.append([spot[0] + ux * a, spot[1] + b])
            else:
                candidates.append([spot[0] + b, spot[1] + uy * a])
    best = candidates[0]
    best_score = -1.0
    for c in candidates:
        score = 1.0
        for o in others:
            d = ((c[0] - o[0]) ** 2 + (c[1] - o[1]) ** 2) ** 0.5 - o[2]
            if d < score:
                score = d
        if score > best_score + 0.01 or (best_score < 0.04 and score > best_score):
            best = c
            best_score = score
    if best_score < 0.05 and stack_ok:
        # No spot clear of the opening fingers (they reach ~5 cm from the block's centre): stack on a
        # block already lying in the place.
        below = block_at_place(place, [n for n in get_obj_names() if n.endswith('block') and n != moving])
        if below is not None:
            pos = get_obj_pos(below)
            return [pos[0], pos[1], spot[2]]
    if best_score < 0.02:
        # No clear spot: a bowl sitting in the place takes the block instead of its rim catching it.
        for pos in bowls:
            near_x = ux == 0 or abs(pos[0] - spot[0]) < 0.11
            near_y = uy == 0 or abs(pos[1] - spot[1]) < 0.11
            along = ((ux != 0 and uy != 0) or (ux == 0 and abs(pos[0] - spot[0]) < 0.15)
                     or (uy == 0 and abs(pos[1] - spot[1]) < 0.15))
            if near_x and near_y and along:
                return [pos[0], pos[1], spot[2]]
    return [best[0], best[1], spot[2]]
"""
# Stack every other block, in order, on the tower rising from `base` (defined before this snippet).
STACK_ON = """below = base
for name in block_names:
    if name != base:
        put_first_on_second(name, below)
        below = name
"""
