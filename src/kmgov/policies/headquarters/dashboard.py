"""The headquarters dashboard (63号): applications by county and state, recognitions per year
(the shared recognition charts, `policies._recognition_charts`)."""

from __future__ import annotations

import datetime as dt

from kmgov.core.charts import Chart
from kmgov.policies._recognition_charts import recognition_charts

from .models import DOC, HeadquartersApplication


def charts(user, on: dt.date | None = None) -> list[Chart]:
    return recognition_charts(HeadquartersApplication, user, on=on, doc=DOC,
                              route_citation="附件 第十二条、第十三条")
