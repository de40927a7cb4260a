from ninja import Router

from . import selectors

router = Router(tags=["公报 gazette"])


@router.get("/issues", summary="收录的公报")
def list_issues(request):
    return [
        dict(year=i.year, number=i.number, serial=i.serial, issue_date=i.issue_date.isoformat(),
             title=i.title)
        for i in selectors.issue_list()
    ]
