"""One module per robot; registered by name in sim.ROBOTS."""
