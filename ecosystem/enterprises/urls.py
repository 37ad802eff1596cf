from django.urls import path

from ecosystem.enterprises import views

urlpatterns = [path("", views.my_enterprises, name="my_enterprises")]
