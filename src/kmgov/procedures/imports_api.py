"""The JSON API of background imports (kmgov.procedures.imports), on the procedures router:
start one of any declared kind, follow it, list the kinds."""

from __future__ import annotations

from ninja import File, Status
from ninja.files import UploadedFile

from kmgov.core.api_auth import LOGIN_REQUIRED

from . import imports
from .api import ErrorOut, router


@router.get("/imports/kinds", response=list[dict], auth=LOGIN_REQUIRED,
            summary="可以在后台导入的数据种类及其参数")
def import_kinds(request):
    return [{"kind": imp.kind, "label": str(imp.label), "suffixes": list(imp.suffixes),
             "params": [{"name": n, "label": str(label), "type": t.__name__}
                        for n, label, t in imp.params]}
            for imp in imports.importers().values()]


@router.post("/imports/{kind}", response={202: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                          422: ErrorOut},
             auth=LOGIN_REQUIRED, summary="上传文件，在后台导入（先核对每一行，有错则一行也不写入）",
             description="返回202和导入任务；用 GET /imports/jobs/{id} 或页面 /imports/{id}/ 查看进度和结果。"
                         "种类的其他参数（如 county、year）作为表单字段一并提交（见 GET /imports/kinds）。")
def import_start(request, kind: str, file: File[UploadedFile]):
    params = {k: v for k, v in request.POST.items()}
    job = imports.import_start(kind=kind, actor=request.user, upload=file, params=params)
    return Status(202, imports.import_out(job))


@router.get("/imports/jobs/{job_id}", response={200: dict, 404: ErrorOut}, auth=LOGIN_REQUIRED,
            summary="后台导入任务的进度和结果（提交人及管辖其单位的工作人员可见）")
def import_progress(request, job_id: int):
    return imports.import_out(imports.import_get(job_id, request.user))
