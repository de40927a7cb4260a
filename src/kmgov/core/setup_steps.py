"""The core's step of `kmgov setup` (declared on CoreConfig): the organisation tree."""

from .services import org_tree_load


def org_tree(stdout, **_options) -> None:
    result = org_tree_load()
    stdout.write(f"组织机构：{result['total']} 个（新增 {result['created']}）")
