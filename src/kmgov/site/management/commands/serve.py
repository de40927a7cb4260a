"""`kmgov serve [--bind HOST:PORT] [--workers N] [--threads N]`: the production server.

gunicorn with gthread workers (N processes × M threads; defaults from the settings
`KMGOV_SERVE_BIND`, `KMGOV_SERVE_WORKERS`, `KMGOV_SERVE_THREADS`). The application is loaded
once in the master before it binds the port (gunicorn's preload): Django is set up and every
app's declared warm-up runs (`Contributions.warmup`: the desk loads jieba's dictionary and
builds its answer index), the database connections are closed, then the workers are forked and
share what was loaded. The first caller therefore pays for nothing; a worker rebuilds its index
by itself when the knowledge base or the gazette changes (kmgov.hotline.kb).

`make serve` stays the one-command embedded start (Django's server on SQLite); this is what a
deployment runs behind its reverse proxy (README → "Production").
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management import BaseCommand, CommandError


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise ValueError(value)
    return n


class Command(BaseCommand):
    help = "以 gunicorn（gthread）启动生产服务：预热（分词词典、答案索引）完成后才接受请求"

    def add_arguments(self, parser):
        parser.add_argument("--bind", "-b", default=None,
                            help="监听地址 HOST:PORT（默认 KMGOV_SERVE_BIND，127.0.0.1:8000）")
        parser.add_argument("--workers", "-w", type=_positive, default=None,
                            help="进程数（默认 KMGOV_SERVE_WORKERS）")
        parser.add_argument("--threads", "-t", type=_positive, default=None,
                            help="每个进程的线程数（默认 KMGOV_SERVE_THREADS）")
        parser.add_argument("--timeout", type=_positive, default=30,
                            help="单个请求的最长秒数，超过则重启该进程（默认 30）")
        parser.add_argument("--access-log", action="store_true",
                            help="把访问日志写到标准错误输出（默认不写：由反向代理记录）")
        parser.add_argument("--no-warmup", action="store_true",
                            help="不预热（首个请求加载词典并建立索引）")

    def handle(self, *args, bind=None, workers=None, threads=None, timeout=30,
               access_log=False, no_warmup=False, **opts):
        try:
            from gunicorn.app.base import BaseApplication
        except ImportError:  # pragma: no cover - gunicorn is a declared dependency
            raise CommandError("未安装 gunicorn：请运行 make setup") from None

        options = {
            "bind": bind or settings.KMGOV_SERVE_BIND,
            "workers": workers or settings.KMGOV_SERVE_WORKERS,
            "threads": threads or settings.KMGOV_SERVE_THREADS,
            "worker_class": "gthread",
            "preload_app": True,
            "timeout": timeout,
            "graceful_timeout": timeout,
            "keepalive": 5,
            "accesslog": "-" if access_log else None,
            "errorlog": "-",
            "proc_name": "kmgov",
        }
        write = self.stderr.write

        class KmgovServer(BaseApplication):
            def load_config(self):
                for key, value in options.items():
                    self.cfg.set(key, value)
                if "control_socket_disable" in self.cfg.settings:
                    # gunicorn ≥ 24's control socket is one per user ($HOME/.gunicorn):
                    # two servers on one machine would fight over it; nothing here uses it.
                    self.cfg.set("control_socket_disable", True)

            def load(self):
                from django.core.wsgi import get_wsgi_application
                from django.db import connections

                application = get_wsgi_application()
                if not no_warmup:
                    from kmgov.site.discovery import warmups

                    for label, warm_up in warmups():
                        t0 = time.perf_counter()
                        warm_up()
                        write(f"预热 {label}：{(time.perf_counter() - t0) * 1000:.0f} ms")
                # Forked workers must not share the master's database connections.
                connections.close_all()
                return application

        write(f"kmgov serve：{options['bind']}，{options['workers']} 个进程 × "
              f"{options['threads']} 个线程")
        KmgovServer().run()
