from django.shortcuts import render

from .models import Agreement


def home(request):
    agreements = Agreement.objects.all()
    return render(request, "agreements/home.html", {"agreements": agreements})
