from django.urls import path

from hagukumi.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
]
