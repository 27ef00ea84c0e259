"""Tolerances that a template checker and the goal-spec measures must share, so that 'a little to the
left', 'a lot' and 'in a line' mean the same whichever of them judges (one home for both)."""

LITTLE = (0.01, 0.10)  # m beyond the bowl's rim: 'a little'
LOT_MIN = 0.14  # m beyond the bowl's rim: 'a lot' (the 4 cm between is neither)
SIDEWAYS_MAX = 0.08  # m off the direction's axis through the bowl
LINE_RESIDUAL_MAX = 0.025  # m from the fitted line
LINE_ANGLE_TOL = 15.0  # degrees
