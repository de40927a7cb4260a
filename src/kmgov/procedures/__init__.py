"""The procedures kernel (SPEC X-6): cases with state machines, filing windows, deadlines as
rows, the sweep, attachments, the inbox and the audit trail of every transition.

A policy module declares a procedure with `kmgov.procedures.declare` (see docs/procedures.md)
and drives it through `kmgov.procedures.services`.
"""
