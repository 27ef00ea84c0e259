"""From an instruction to a dispatched program: commands and their log, the command client, the sim
twin, the simulation gate and the pipeline that runs them in order."""
