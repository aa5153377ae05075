"""The lead flow: moves through the state machine, the actions reps and managers take, the clock, schemas and jobs."""
