"""The gazette library (SPEC §1): Issue → Document → Node (→ Table), cross-references, appointments."""

from django.db import models


class Issue(models.Model):
    city = models.CharField(max_length=32)
    title = models.CharField(max_length=64)
    title_en = models.CharField(max_length=128, blank=True)
    editor = models.CharField(max_length=64, blank=True)
    issue_date = models.DateField()
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    source_name = models.CharField(max_length=255, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        unique_together = [("city", "year", "number")]
        ordering = ["-issue_date", "-number"]

    def __str__(self) -> str:
        return f"{self.title} {self.year}年第{self.number}号（总号{self.serial}）"


class Document(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="documents")
    order = models.PositiveSmallIntegerField()
    docno = models.CharField(max_length=64, db_index=True)
    docno_printed = models.CharField(max_length=64)
    series = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=16)
    issuer = models.CharField(max_length=64)
    title = models.CharField(max_length=255)
    toc_title = models.CharField(max_length=255, blank=True)
    addressees = models.CharField(max_length=255, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    section = models.CharField(max_length=64, blank=True)
    page = models.PositiveSmallIntegerField(null=True, blank=True)
    line_start = models.PositiveIntegerField(default=0)
    line_end = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("issue", "docno")]
        ordering = ["issue", "order"]

    def __str__(self) -> str:
        return f"{self.docno} {self.title}"


class Node(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    order = models.PositiveIntegerField()      # document order (pre-order walk)
    depth = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16)
    label = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=255)
    heading = models.TextField(blank=True)
    text = models.TextField(blank=True)
    line = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("document", "path")]
        ordering = ["document", "order"]

    def __str__(self) -> str:
        return f"{self.document.docno} {self.path}"

    @property
    def citation(self) -> str:
        return f"{self.document.docno} {self.path}"


class Table(models.Model):
    node = models.OneToOneField(Node, on_delete=models.CASCADE, related_name="table")
    kind = models.CharField(max_length=16, default="table")
    caption = models.CharField(max_length=255, blank=True)
    unit = models.CharField(max_length=32, blank=True)
    header = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    note = models.TextField(blank=True)
    meta = models.JSONField(default=dict, blank=True)


class TocEntry(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="toc")
    lang = models.CharField(max_length=8)
    section = models.CharField(max_length=128)
    title = models.CharField(max_length=255)
    page = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField()
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="toc_entries")

    class Meta:
        ordering = ["issue", "lang", "order"]


class CrossRef(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="crossrefs")
    node = models.ForeignKey(Node, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="crossrefs")
    docno = models.CharField(max_length=64, db_index=True)
    raw = models.CharField(max_length=64)
    title = models.CharField(max_length=255, blank=True)
    # Resolved when the cited document is in the library (matched by docno at query time too).
    target = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="cited_by")


class Appointment(models.Model):
    ACTIONS = [("appoint", "任"), ("appoint_concurrent", "兼任"), ("remove", "免去")]
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="appointments")
    order = models.PositiveSmallIntegerField()
    person = models.CharField(max_length=32, db_index=True)
    action = models.CharField(max_length=24, choices=ACTIONS)
    post = models.CharField(max_length=64)
    org_name = models.CharField(max_length=128)
    org = models.ForeignKey("core.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    qualifiers = models.JSONField(default=list, blank=True)
    rank = models.CharField(max_length=16, blank=True)
    probation_years = models.PositiveSmallIntegerField(null=True, blank=True)
    secondment_years = models.PositiveSmallIntegerField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["document", "order"]
