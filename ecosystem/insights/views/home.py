"""The landing page, and each signed-in user's home page with a panel per role."""

from django.shortcuts import render

from ecosystem.insights.home import home_panels


def home(request):
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    return render(request, "core/home.html", {"panels": home_panels(user=request.user)})
