from django.shortcuts import render

from . import selectors


def issues(request):
    return render(request, "web/home.html", {"issues": selectors.issue_list()})


def issue(request, year: int, number: int):
    return render(request, "web/home.html", {"issues": [selectors.issue_get(year, number)]})


def search(request):
    return render(request, "web/home.html", {"issues": selectors.issue_list()})
