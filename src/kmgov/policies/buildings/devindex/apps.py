from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kmgov.core.contributions import ApiMount, Contributions, NavEntry


class DevIndexConfig(AppConfig):
    name = "kmgov.policies.buildings.devindex"
    label = "buildings_devindex"
    parameters_prefix = "buildings_devindex"
    verbose_name = "楼宇经济发展指数（昆政发〔2010〕62号 附件2）"
    contributions = Contributions(
        api=[ApiMount("/buildings-index", "kmgov.policies.buildings.devindex.api:router")],
        urls="kmgov.policies.buildings.devindex.urls",
        nav=[NavEntry(_("楼宇经济发展指数"), "/buildings-index/", order=62, login=True,
                      shown_to="kmgov.core.scope:is_official")],
        demo="kmgov.policies.buildings.devindex.demo:contribute",
        importers=["kmgov.policies.buildings.devindex.services:IMPORTER"],
    )
