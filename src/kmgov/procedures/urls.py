from django.urls import path

from . import filing_views, views

app_name = "procedures"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("cases/<slug:procedure>/", views.case_list, name="list"),
    path("imports/<int:job_id>/", views.import_job, name="import_job"),
    path("imports/new/<str:kind>/", views.import_new, name="import_new"),
    path("filings/", filing_views.filings_index, name="filings_index"),
    path("filings/<slug:code>/", filing_views.filings_status, name="filings"),
    path("filings/<slug:code>/<str:period>/start/", filing_views.filing_start,
         name="filing_start"),
    path("cases/<slug:procedure>/<str:reference>/", views.case_detail, name="case"),
    path("cases/<slug:procedure>/<str:reference>/steps/<slug:name>/", views.case_step,
         name="case_step"),
    path("cases/<slug:procedure>/<str:reference>/attachments/", views.case_attach,
         name="case_attach"),
    path("cases/<slug:procedure>/<str:reference>/attachments/<int:pk>/", views.attachment_download,
         name="attachment"),
]
