"""The lead flow: moves, the actions people take, offering a lead to a rep, SLA clocks, the clock's moves, jobs."""
