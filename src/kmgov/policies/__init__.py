"""Policy modules: one Django app per gazette document (SPEC §2–§12)."""
