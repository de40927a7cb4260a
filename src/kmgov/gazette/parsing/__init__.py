"""The pieces of the gazette parser; `kmgov.gazette.parser.parse_issue` is the entry point."""
