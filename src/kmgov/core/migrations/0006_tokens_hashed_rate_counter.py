import hashlib

from django.conf import settings
from django.db import migrations, models


def hash_existing_keys(apps, schema_editor):
    """Tokens issued before: keep them working, stored as their digest from now on."""
    ApiToken = apps.get_model("core", "ApiToken")
    for token in ApiToken.objects.all():
        token.key_hash = hashlib.sha256(token.key.encode("utf-8")).hexdigest()
        token.prefix = token.key[:10]
        token.save(update_fields=["key_hash", "prefix"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0005_audit_chain"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken", name="key_hash",
            field=models.CharField(default="", editable=False, max_length=64,
                                   verbose_name="令牌摘要"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken", name="prefix",
            field=models.CharField(default="", editable=False, max_length=12,
                                   verbose_name="令牌前缀"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken", name="expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="有效期至"),
        ),
        migrations.AddField(
            model_name="apitoken", name="revoked_at",
            field=models.DateTimeField(blank=True, editable=False, null=True,
                                       verbose_name="吊销时间"),
        ),
        migrations.AddField(
            model_name="apitoken", name="last_used_at",
            field=models.DateTimeField(blank=True, editable=False, null=True,
                                       verbose_name="最近使用"),
        ),
        migrations.RunPython(hash_existing_keys, migrations.RunPython.noop),
        migrations.RemoveField(model_name="apitoken", name="key"),
        migrations.AlterField(
            model_name="apitoken", name="key_hash",
            field=models.CharField(editable=False, max_length=64, unique=True,
                                   verbose_name="令牌摘要"),
        ),
        migrations.AlterModelOptions(
            name="apitoken",
            options={"verbose_name": "API访问令牌", "verbose_name_plural": "API访问令牌"},
        ),
        migrations.AlterField(
            model_name="apitoken", name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="签发时间"),
        ),
        migrations.AlterField(
            model_name="apitoken", name="label",
            field=models.CharField(blank=True, max_length=64, verbose_name="用途"),
        ),
        migrations.AlterField(
            model_name="apitoken", name="user",
            field=models.ForeignKey(on_delete=models.deletion.CASCADE, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="用户"),
        ),
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                ("bucket", models.BigIntegerField()),
                ("expires", models.BigIntegerField(db_index=True)),
                ("hits", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("name", "bucket"),
                                                        name="ratecounter_window")],
            },
        ),
    ]
