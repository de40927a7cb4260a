"""A sample procedure declared on the kernel, for the kernel's tests only (installed under
pytest by settings.py). It has the shape of the gazette's applications (62号/63号): the
applicant submits in the yearly window with its documents; the county office approves,
returns for changes or rejects; the applicant may withdraw."""
