"""The organisation tree, people's roles in it, and the append-only audit log (SPEC X-4, X-5, X-6)."""

from django.conf import settings
from django.db import models


class OrgKind(models.TextChoices):
    CITY = "city", "市"
    COUNTY = "county", "县（市）区"
    ZONE = "zone", "开发（度假）区"
    OTHER_BODY = "other_body", "其他管委会"
    TOWNSHIP = "township", "乡镇"
    SUBDISTRICT = "subdistrict", "街道"
    VILLAGE = "village", "村委会"
    COMMUNITY = "community", "居委会/社区"
    DEPARTMENT = "department", "委办局"
    ENTERPRISE = "enterprise", "企业"
    UNIT = "unit", "其他单位"


# A zone's committee (管委会) acts as a county: both are "county level" for scoping and routing.
COUNTY_LEVEL_KINDS = (OrgKind.COUNTY, OrgKind.ZONE, OrgKind.OTHER_BODY)


class OrgUnit(models.Model):
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField("名称", max_length=128)
    short_name = models.CharField("简称", max_length=64, blank=True)
    kind = models.CharField("类别", max_length=16, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path "/kunming/panlong/dianyuan/": a subtree is one indexed prefix query.
    path = models.CharField(max_length=512, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    aliases = models.JSONField("别名", default=list, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "组织"
        verbose_name_plural = "组织"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "/") + self.code + "/"
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)

    def is_within(self, other: "OrgUnit") -> bool:
        return self.path.startswith(other.path)

    def county_level(self) -> "OrgUnit | None":
        """The county, district or zone this unit belongs to (itself if it is one)."""
        node: OrgUnit | None = self
        while node is not None:
            if node.kind in COUNTY_LEVEL_KINDS:
                return node
            node = node.parent
        return None


class Role(models.TextChoices):
    PUBLIC = "public", "公众"
    ENTERPRISE = "enterprise", "企业（申报人）"
    TOWNSHIP_STAFF = "township_staff", "乡镇/村工作人员"
    COUNTY_DEPARTMENT = "county_department", "县级部门"
    COUNTY_OFFICE = "county_office", "县级领导小组办公室"
    COUNTY_GOVERNMENT = "county_government", "县级人民政府"
    CITY_DEPARTMENT = "city_department", "市级部门"
    CITY_OFFICE = "city_office", "市级领导小组办公室"
    HOTLINE_OPERATOR = "hotline_operator", "热线话务员"
    DEPARTMENT_LIAISON = "department_liaison", "部门联络员"
    AUDITOR = "auditor", "审计（只读）"
    ADMINISTRATOR = "administrator", "系统管理员"


# Roles that may change nothing, whatever their place in the tree.
READ_ONLY_ROLES = frozenset({Role.PUBLIC, Role.AUDITOR})


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="role_assignments")
    title = models.CharField("职务", max_length=128, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)

    class Meta:
        unique_together = [("user", "role", "org")]
        verbose_name = "角色分配"
        verbose_name_plural = "角色分配"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} @ {self.org}"


class AuditEntry(models.Model):
    """One change, written in the same transaction as the change itself. Never updated or deleted."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(max_length=64)  # indexed below, without a LIKE-pattern twin
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    org = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # The hash chain (core.audit_chain): empty until the sealer numbers and hashes the entry.
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    # db_default too: the sweep writes its audit rows with PostgreSQL's COPY, naming only the
    # columns it fills
    chain_hash = models.CharField(max_length=64, blank=True, default="", db_default="",
                                  editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        # action and chain_hash are matched whole, never by prefix: plain indexes, not also the
        # varchar_pattern_ops ones `db_index=True` adds on PostgreSQL (the sweep writes 100,000
        # entries at a time, and each index costs every one)
        indexes = [models.Index(fields=["object_type", "object_id"]),
                   models.Index(fields=["action"], name="core_audit_action"),
                   models.Index(fields=["chain_hash"], name="core_audit_chain_hash")]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录只能追加，不能删除")


class AuditSeal(models.Model):
    """The head of the audit chain after one sealing run (core.audit_chain): the newest
    entry's number and hash, so that removing the newest entries shows too. Append-only."""

    at = models.DateTimeField(auto_now_add=True)
    last_seq = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = "审计链封存"
        verbose_name_plural = "审计链封存"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计链封存记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计链封存记录只能追加，不能删除")


class ApiToken(models.Model):
    """A bearer token for the JSON API and scripts; it acts as its user, with the user's roles.

    Only the token's SHA-256 is stored (`key_hash`), with its first characters (`prefix`) to
    tell tokens apart: the token itself is shown once, when issued (`core.services.
    api_token_create`, `kmgov token create`, the admin). It stops working when it expires or
    is revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name="用户")
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    prefix = models.CharField("令牌前缀", max_length=12, editable=False)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    label = models.CharField("用途", max_length=64, blank=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API访问令牌"
        verbose_name_plural = "API访问令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… · {self.user} · {self.label or '—'}"

    @staticmethod
    def digest(key: str) -> str:
        import hashlib

        return hashlib.sha256(key.encode("utf-8")).hexdigest()


class RateCounter(models.Model):
    """One fixed window of a rate limit (core.ratelimit): hits counted atomically."""

    name = models.CharField(max_length=200)
    bucket = models.BigIntegerField()
    expires = models.BigIntegerField(db_index=True)  # epoch seconds at the window's end
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "bucket"], name="ratecounter_window")]


class ContentVersion(models.Model):
    """A number bumped (core.versions) in the same transaction as every change of some content
    ("search": the full-text index; "hotline.kb": the desk's knowledge base), so that every
    process keeping a copy of that content in memory sees with one cheap query that its copy
    is stale."""

    name = models.CharField(max_length=64, primary_key=True)
    version = models.BigIntegerField(default=0)


class SearchEntry(models.Model):
    """One searchable text (a gazette node, a knowledge-base entry …), stored word-segmented.

    The kernel's Chinese full-text index: SQLite FTS5 or PostgreSQL full text over `segmented`
    (see `core/search.py`). Sources are named by string so the kernel imports no module."""

    source = models.CharField(max_length=32)
    ref_id = models.BigIntegerField()
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=512, blank=True)
    body = models.TextField()
    segmented = models.TextField()
    # Which group of the source the entry belongs to (e.g. the issue id), for bulk removal.
    group = models.CharField(max_length=64, blank=True, db_index=True)
    weight = models.FloatField(default=1.0)

    class Meta:
        unique_together = [("source", "ref_id")]
        indexes = [models.Index(fields=["source", "group"])]
