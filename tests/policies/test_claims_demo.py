"""The demo contributors of forestry, agriculture and mediation run, twice, without error."""

import io

import pytest

from kmgov.core.services import org_tree_load


@pytest.mark.django_db
def test_demo_contributors_are_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org_tree_load()
    from kmgov.policies.agriculture.demo import contribute as ag
    from kmgov.policies.forestry.demo import contribute as fo
    from kmgov.policies.mediation.demo import contribute as me

    for _ in range(2):
        out = io.StringIO()
        for fn in (fo, ag, me):
            fn(out)
    text = out.getvalue()
    assert "示例已存在" in text
    from kmgov.policies.mediation.models import MediationClaim

    # 2 × 100 + 300 + 500 = 1000元 (108号 附件 三(二)3)
    assert MediationClaim.objects.get().total_yuan == 1000
