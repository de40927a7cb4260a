app_name = "agriculture"
urlpatterns = []
