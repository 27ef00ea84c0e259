"""`codebot bench`: the Code-as-Policies simulated tabletop suite (our re-implementation) run over the
task templates in codebot.checks.tasks, with reference policies or an LLM, in parallel worker processes.

    from codebot.bench import BenchConfig, plan_jobs, run_suite, write_reports
"""
from codebot.bench.plan import BenchConfig, Job, plan_jobs
from codebot.bench.report import summarize, write_reports
from codebot.bench.runner import run_suite

__all__ = ["BenchConfig", "Job", "plan_jobs", "run_suite", "summarize", "write_reports"]
