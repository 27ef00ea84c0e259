"""Judging, in one home: what a run is checked against, with no simulator import (numpy only).

    codebot.checks.check       Check (TemplateCheck | GoalCheck) and Judgement: typed, with to_plain/from_plain
    codebot.checks.judge       judge_world(check, before, after) -> Judgement (run in the sim server)
    codebot.checks.goal_choice which check decides an episode's success, chosen before its program runs
    codebot.checks.goal_writer the goal-spec writer: parsed, user-given or LLM-written, then validated
    codebot.checks.scene       SceneSpec: which objects a scene holds (shared with the simulator, resets, ROS, MCP)
    codebot.checks.tasks       the 14 Code-as-Policies templates: sampler, parser, checker, reference policy
    codebot.checks.goals       the goal-spec language: parser, printer, validation, evaluator
    codebot.checks.tolerances  the tolerances template checkers and goal measures share

The simulator (`codebot.sim`) imports only `codebot.checks.scene` from here (tests/test_import_graph.py).
"""
