from policies.recognition_fixtures import march, people  # noqa: F401
